import Imaging
import Testing

/// What would not fit in memory is refused with an error before it is allocated (Swift
/// cannot recover from a failed allocation).
@Suite struct MemoryLimits {
    @Test func requireMemoryComparesWithThePhysicalMemory() throws {
        #expect(physicalMemoryBytes > 1 << 26)
        try requireMemory(for: 1000, of: 8, what: "a small matrix")
        #expect(throws: ImageError.self) { try requireMemory(for: physicalMemoryBytes / 8 + 1, of: 8, what: "x") }
        let error = try #require(throws: ImageError.self) { try requireMemory(for: Int.max / 2, of: 8, what: "the patches") }
        #expect(error.description.hasPrefix("the patches would need more bytes than can be counted, more than this machine's"))
        #expect(error.description.hasSuffix(" GB of memory"))
    }

    /// A 300,000 x 300,000 gray PNG (0.9 TB of Doubles) whose file is large enough for the
    /// size to be plausible: refused before decoding, naming the file.
    @Test func aHugePNGIsRefusedBeforeDecoding() throws {
        let bytes = RawPNG.encodeClaimingSize(width: 300_000, height: 300_000, padding: 11_000_000)
        let error = try #require(throws: PNGError.self) { try PNGFile.read(from: bytes, name: "huge.png") }
        guard case .tooLarge(let path, let reason) = error else {
            Issue.record("expected .tooLarge, got \(error)")
            return
        }
        #expect(path == "huge.png" && reason.contains("decoding its 300000x300000 pixels would need 900 GB"))
    }
}
