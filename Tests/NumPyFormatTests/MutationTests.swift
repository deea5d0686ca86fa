import Testing
import NumPyFormat

/// A small in-process fuzzer: valid files with random bytes changed, inserted or removed,
/// or cut short, must decode or throw a `NumPyFormatError`; anything else (a trap, another
/// error) fails the test.
@Suite struct MutationTests {
    static func mutate(_ bytes: [UInt8], _ random: inout SplitMix64) -> [UInt8] {
        var mutated = bytes
        for _ in 0 ..< random.int(1 ... 4) {
            guard !mutated.isEmpty else { break }
            let position = random.int(0 ... mutated.count - 1)
            switch random.int(0 ... 5) {
            case 0: mutated[position] ^= UInt8(1) << UInt8(random.int(0 ... 7))
            case 1: mutated[position] = [0, 0xFF, 0x7F, 0x80, UInt8(ascii: "("), UInt8(ascii: "9")][random.int(0 ... 5)]
            case 2: mutated.insert(UInt8.random(in: 0 ... 255, using: &random), at: position)
            case 3: mutated.remove(at: position)
            case 4: mutated.removeLast(random.int(0 ... mutated.count - 1))
            default: mutated[position] = UInt8.random(in: 0 ... 255, using: &random)
            }
        }
        return mutated
    }

    /// Decodes `bytes`; returns false if `decode` threw something other than `NumPyFormatError`.
    static func decodesOrThrowsFormatError(_ decode: () throws -> Any) -> Bool {
        do {
            _ = try decode()
            return true
        } catch is NumPyFormatError {
            return true
        } catch {
            return false
        }
    }

    @Test func mutatedNpyFiles() throws {
        var random = SplitMix64(seed: 1234)
        let seeds = try (0 ..< 20).map { _ in try NPYFile.encode(random.array()) }
        for index in 0 ..< 4000 {
            let bytes = Self.mutate(seeds[index % seeds.count], &random)
            #expect(Self.decodesOrThrowsFormatError { try NPYFile.decode(bytes) })
        }
    }

    @Test func mutatedNpzFiles() throws {
        var random = SplitMix64(seed: 4321)
        var seeds: [[UInt8]] = []
        for index in 0 ..< 10 {
            var arrays: [String: NumPyArray] = [:]
            for key in 0 ..< random.int(1 ... 3) { arrays["k\(key)"] = random.array() }
            seeds.append(try NPZFile.encode(arrays, compression: index % 2 == 0 ? .stored : .deflated))
        }
        var rejected = 0
        for index in 0 ..< 3000 {
            let bytes = Self.mutate(seeds[index % seeds.count], &random)
            #expect(Self.decodesOrThrowsFormatError { try NPZFile.decode(bytes) })
            if problem({ try NPZFile.decode(bytes) }) != nil { rejected += 1 }
        }
        // CRC-32 and the size checks catch nearly every change.
        #expect(rejected > 2700)
    }
}
