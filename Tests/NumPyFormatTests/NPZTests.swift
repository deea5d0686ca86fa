import Foundation
import Testing
@testable import NumPyFormat

@Suite struct NPZTests {
    static let model: [String: NumPyArray] = [
        "means": try! NumPyArray(float64: [0, 0, 1, 1, -2, 3.5], shape: [3, 2]),
        "weights": NumPyArray(float64: [0.2, 0.3, 0.5]),
        "iterations": NumPyArray(scalar: 17),
        "kind": NumPyArray(string: "GaussianMixture"),
        "labels": NumPyArray(uint8: [0, 1, 2, 2, 1]),
        "empty": try! NumPyArray(float64: [], shape: [0, 2]),
        "names/ümlaut key": NumPyArray(strings: ["α", "β"]),
    ]

    static func sameArrays(_ a: [String: NumPyArray], _ b: [String: NumPyArray]) -> Bool {
        a.keys.sorted() == b.keys.sorted() && a.allSatisfy { key, value in b[key].map { identical($0, value) } ?? false }
    }

    @Test(arguments: [NPZFile.Compression.stored, .deflated])
    func roundTrips(compression: NPZFile.Compression) throws {
        let bytes = try NPZFile.encode(Self.model, compression: compression)
        #expect(Self.sameArrays(try NPZFile.decode(bytes), Self.model))
        #expect(Self.sameArrays(try NPZFile.decode(Data(bytes)), Self.model))
        #expect(try NPZFile.decode(NPZFile.encode([:], compression: compression)).isEmpty)
    }

    @Test func randomArchivesRoundTrip() throws {
        var random = SplitMix64(seed: 31337)
        for round in 0 ..< 60 {
            var arrays: [String: NumPyArray] = [:]
            for index in 0 ..< random.int(0 ... 5) { arrays["array\(index)"] = random.array() }
            let compression: NPZFile.Compression = round % 2 == 0 ? .stored : .deflated
            #expect(Self.sameArrays(try NPZFile.decode(NPZFile.encode(arrays, compression: compression)), arrays))
        }
    }

    @Test func deflateCompresses() throws {
        let zeros = ["zeros": NumPyArray(float64: Array(repeating: 0, count: 10000))]
        let stored = try NPZFile.encode(zeros, compression: .stored)
        let deflated = try NPZFile.encode(zeros, compression: .deflated)
        #expect(stored.count > 80000)
        #expect(deflated.count < 2000)
        #expect(Self.sameArrays(try NPZFile.decode(deflated), zeros))
    }

    @Test func membersAreNpyFilesInSortedOrder() throws {
        let bytes = try NPZFile.encode(["b": NumPyArray(scalar: 2.0), "a": NumPyArray(scalar: 1.0)])
        let members = try bytes.withUnsafeBytes(ZipArchive.decode)
        #expect(members.map(\.name) == ["a.npy", "b.npy"])
        #expect(members[0].contents == (try NPYFile.encode(NumPyArray(scalar: 1.0))))
        // Local header: signature, version 2.0, no flags, stored, time 0, date 1980-01-01.
        #expect(Array(bytes[0 ..< 14]) == [0x50, 0x4B, 0x03, 0x04, 20, 0, 0, 0, 0, 0, 0, 0, 0x21, 0])
    }

    @Test func sameInputGivesIdenticalBytes() throws {
        for compression in [NPZFile.Compression.stored, .deflated] {
            #expect(try NPZFile.encode(Self.model, compression: compression) == NPZFile.encode(Self.model, compression: compression))
        }
        try withTemporaryDirectory { directory in
            let a = directory.appendingPathComponent("a.npz"), b = directory.appendingPathComponent("b.npz")
            try NPZFile.write(Self.model, to: a, compression: .deflated)
            try NPZFile.write(Self.model, to: b, compression: .deflated)
            #expect(try Data(contentsOf: a) == Data(contentsOf: b))
            #expect(Self.sameArrays(try NPZFile.read(from: a), Self.model))
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted() == ["a.npz", "b.npz"])
        }
    }

    @Test func encodingErrorsNameTheMember() {
        let error = thrownError { try NPZFile.encode(["names": NumPyArray(strings: ["a\u{0}"])]) }
        #expect(error == .inMember(name: "names.npy", .unrepresentableString("a\u{0}")))
    }
}

/// Malformed archives: each is a thrown error naming the member where there is one.
@Suite struct NPZMalformedTests {
    static let twoMembers: [String: NumPyArray] = [
        "means": NumPyArray(float64: [1, 2, 3]),
        "weights": NumPyArray(float64: [0.5, 0.5]),
    ]

    /// The offset of the end-of-central-directory record (no comment: the last 22 bytes).
    static func endRecord(_ bytes: [UInt8]) -> Int { bytes.count - 22 }

    /// The central directory's offset, from the end record.
    static func directoryOffset(_ bytes: [UInt8]) -> Int {
        (0 ..< 4).reduce(0) { $0 | Int(bytes[endRecord(bytes) + 16 + $1]) << (8 * $1) }
    }

    static func patch32(_ bytes: inout [UInt8], at offset: Int, _ value: UInt32) {
        for index in 0 ..< 4 { bytes[offset + index] = UInt8(truncatingIfNeeded: value >> (8 * index)) }
    }

    @Test func notAZip() throws {
        #expect(problem { try NPZFile.decode(NPYFile.encode(NumPyArray(float64: [1, 2]))) } == .notAZip)
        #expect(problem { try NPZFile.decode(Array("short".utf8)) } == .notAZip)
        #expect(problem { try NPZFile.decode([UInt8]()) } == .emptyInput)
        var random = SplitMix64(seed: 5)
        #expect(problem { try NPZFile.decode((0 ..< 5000).map { _ in UInt8.random(in: 0 ... 255, using: &random) }) } == .notAZip)
        // A comment length that does not reach the end of the file.
        var bytes = try NPZFile.encode(Self.twoMembers)
        bytes[Self.endRecord(bytes) + 20] = 5
        #expect(problem { try NPZFile.decode(bytes) } == .notAZip)
    }

    @Test(arguments: [NPZFile.Compression.stored, .deflated])
    func badCRC(compression: NPZFile.Compression) throws {
        var bytes = try NPZFile.encode(Self.twoMembers, compression: compression)
        // The CRC-32 field of the first central-directory entry ("means.npy").
        let directoryOffset = Self.directoryOffset(bytes)
        bytes[directoryOffset + 16] ^= 0x01
        let error = thrownError { try NPZFile.decode(bytes) }
        #expect(caseName(error?.problem) == "badCRC")
        #expect(error?.description.hasPrefix("zip member 'means.npy': bad CRC-32") == true)
    }

    @Test func corruptedStoredDataFailTheCRC() throws {
        var bytes = try NPZFile.encode(Self.twoMembers)
        let target = try NPYFile.encode(NumPyArray(float64: [1, 2, 3]))
        // The last byte of the first member's data (inside the value 3.0).
        bytes[30 + "means.npy".utf8.count + target.count - 1] ^= 0x80
        #expect(caseName(problem { try NPZFile.decode(bytes) }) == "badCRC")
    }

    @Test func corruptedDeflateData() throws {
        var bytes = try NPZFile.encode(Self.twoMembers, compression: .deflated)
        for offset in 39 ..< 49 { bytes[offset] = 0xFF }
        let error = thrownError { try NPZFile.decode(bytes) }
        #expect(error.map { if case .inMember(name: "means.npy", _) = $0 { true } else { false } } == true)
        #expect(["badZip", "badCRC", "sizeMismatch"].contains(caseName(error?.problem)))
    }

    @Test func truncatedCentralDirectory() throws {
        var tooMany = try NPZFile.encode(Self.twoMembers)
        tooMany[Self.endRecord(tooMany) + 8] = 3
        tooMany[Self.endRecord(tooMany) + 10] = 3
        let error = problem { try NPZFile.decode(tooMany) }
        #expect(error?.description.hasPrefix("malformed ZIP archive: truncated central directory (entry 3 of 3") == true)

        var outside = try NPZFile.encode(Self.twoMembers)
        Self.patch32(&outside, at: Self.endRecord(outside) + 12, 10000)
        #expect(problem { try NPZFile.decode(outside) }?.description.hasPrefix("malformed ZIP archive: truncated central directory") == true)

        var tooFew = try NPZFile.encode(Self.twoMembers)
        tooFew[Self.endRecord(tooFew) + 8] = 1
        tooFew[Self.endRecord(tooFew) + 10] = 1
        #expect(caseName(problem { try NPZFile.decode(tooFew) }) == "badZip")
    }

    /// Cutting the archive anywhere loses the end record, or leaves it pointing outside.
    @Test(arguments: [NPZFile.Compression.stored, .deflated])
    func everyTruncationThrows(compression: NPZFile.Compression) throws {
        let bytes = try NPZFile.encode(Self.twoMembers, compression: compression)
        for length in 0 ..< bytes.count {
            #expect(problem { try NPZFile.decode(Array(bytes.prefix(length))) } != nil, "\(length) of \(bytes.count) bytes")
        }
    }

    @Test func implausibleSizesAreRefusedBeforeAllocating() throws {
        var bytes = try NPZFile.encode(Self.twoMembers, compression: .deflated)
        let directoryOffset = Self.directoryOffset(bytes)
        Self.patch32(&bytes, at: directoryOffset + 24, 0xFFFF_FFF0)
        let error = thrownError { try NPZFile.decode(bytes) }
        #expect(error?.description.contains("more than DEFLATE can expand") == true)

        var stored = try NPZFile.encode(Self.twoMembers)
        Self.patch32(&stored, at: Self.directoryOffset(stored) + 20, 0x7FFF_FFFF)
        #expect(caseName(problem { try NPZFile.decode(stored) }) == "badZip")
    }

    @Test func zip64AndOtherFeaturesAreRefused() throws {
        var bytes = try NPZFile.encode(Self.twoMembers)
        let directoryOffset = Self.directoryOffset(bytes)
        var zip64 = bytes
        Self.patch32(&zip64, at: directoryOffset + 20, 0xFFFF_FFFF)
        #expect(problem { try NPZFile.decode(zip64) } == .unsupportedZip("ZIP64 members (4 GiB or more)"))
        var encrypted = bytes
        encrypted[directoryOffset + 8] |= 1
        #expect(problem { try NPZFile.decode(encrypted) } == .unsupportedZip("encrypted members"))
        bytes[directoryOffset + 10] = 12  // bzip2
        #expect(caseName(problem { try NPZFile.decode(bytes) }) == "unsupportedZip")
    }

    @Test func duplicateMembers() throws {
        var bytes = try NPZFile.encode(["a": NumPyArray(scalar: 1.0), "b": NumPyArray(scalar: 2.0)])
        for offset in 0 ..< bytes.count - 4 where Array(bytes[offset ..< offset + 5]) == Array("b.npy".utf8) {
            bytes[offset] = UInt8(ascii: "a")
        }
        #expect(problem { try NPZFile.decode(bytes) } == .duplicateMember("a.npy"))
    }

    @Test func membersThatAreNotNpyFiles() throws {
        let archive = try ZipArchive.encode(
            [.init(name: "readme.txt", contents: Array("hello".utf8)), .init(name: "x.npy", contents: [])], method: .stored)
        let error = thrownError { try NPZFile.decode(archive) }
        #expect(error == .inMember(name: "readme.txt", .badMagic))
        #expect(error?.description == "zip member 'readme.txt': not a .npy file (bad magic: it does not start with \\x93NUMPY)")
        let empty = try ZipArchive.encode([.init(name: "x.npy", contents: [])], method: .deflated)
        #expect(thrownError { try NPZFile.decode(empty) } == .inMember(name: "x.npy", .emptyInput))
    }

    @Test func localHeaderMustAgree() throws {
        var bytes = try NPZFile.encode(Self.twoMembers)
        bytes[30] = UInt8(ascii: "M")  // first letter of the local name "means.npy"
        #expect(caseName(problem { try NPZFile.decode(bytes) }) == "badZip")
    }
}
