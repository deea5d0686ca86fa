import Foundation
import Testing
import NumPyFormat

@Suite struct NPYRoundTripTests {
    /// One array of every element type and several shapes, including 0-d and empty ones.
    static let examples: [NumPyArray] = [
        try! NumPyArray(float64: [1, -2.5, .pi, 1e-300, -0.0, .infinity], shape: [2, 3]),
        NumPyArray(float64: []),
        try! NumPyArray(float64: [], shape: [0, 4]),
        try! NumPyArray(float64: [], shape: [3, 0, 2]),
        NumPyArray(scalar: 0.1),
        NumPyArray(int64: [.min, -1, 0, 1, .max]),
        try! NumPyArray(int64: Array(0 ..< 24), shape: [2, 3, 4]),
        NumPyArray(scalar: -7),
        NumPyArray(uint8: [0, 1, 127, 128, 255]),
        try! NumPyArray(uint8: Array(0 ..< 12), shape: [3, 4]),
        NumPyArray(strings: ["mean", "", "Σ covariance", "😀 emoji", "a\u{0}b"]),
        try! NumPyArray(strings: ["ab", "c", "def", ""], shape: [2, 2]),
        NumPyArray(strings: []),
        NumPyArray(strings: ["", ""]),
        NumPyArray(string: "GaussianMixture(K=3)"),
        NumPyArray(string: ""),
    ]

    @Test(arguments: examples)
    func roundTripsThroughBytes(array: NumPyArray) throws {
        let bytes = try NPYFile.encode(array)
        #expect(identical(try NPYFile.decode(bytes), array))
        #expect(identical(try NPYFile.decode(Data(bytes)), array))
    }

    @Test func randomArraysRoundTrip() throws {
        var random = SplitMix64(seed: 20240601)
        for _ in 0 ..< 300 {
            let array = random.array()
            #expect(identical(try NPYFile.decode(try NPYFile.encode(array)), array), "\(array)")
        }
    }

    @Test func roundTripsThroughAFile() throws {
        try withTemporaryDirectory { directory in
            let url = directory.appendingPathComponent("means.npy")
            for array in Self.examples {
                try NPYFile.write(array, to: url)
                #expect(identical(try NPYFile.read(from: url), array))
            }
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["means.npy"])
        }
    }

    /// The data start at a multiple of 64 bytes, right after the newline ending the header,
    /// and the header length field says where.
    @Test func headerIsPaddedTo64Bytes() throws {
        var random = SplitMix64(seed: 7)
        for array in Self.examples + (0 ..< 50).map({ _ in random.array() }) {
            let bytes = try NPYFile.encode(array)
            let headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
            let dataStart = 10 + headerLength
            #expect(dataStart % 64 == 0)
            #expect(bytes[dataStart - 1] == UInt8(ascii: "\n"))
            #expect(Array(bytes[0 ..< 8]) == [0x93] + Array("NUMPY".utf8) + [1, 0])
        }
    }

    @Test func headerTextIsNumPys() throws {
        let bytes = try NPYFile.encode(try NumPyArray(float64: [1, 2, 3, 4, 5, 6], shape: [2, 3]))
        let header = String(decoding: bytes[10 ..< 128], as: UTF8.self)
        #expect(header.hasPrefix("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }"))
        #expect(header.dropFirst(60).allSatisfy { $0 == " " || $0 == "\n" })
        #expect(bytes.count == 128 + 48)
        let scalar = try NPYFile.encode(NumPyArray(string: "abc"))
        #expect(String(decoding: scalar[10...], as: UTF8.self).hasPrefix("{'descr': '<U3', 'fortran_order': False, 'shape': (), }"))
        let vector = try NPYFile.encode(NumPyArray(uint8: [1]))
        #expect(String(decoding: vector[10...], as: UTF8.self).hasPrefix("{'descr': '|u1', 'fortran_order': False, 'shape': (1,), }"))
    }

    @Test func stringsAreFixedWidthUTF32() throws {
        let bytes = try NPYFile.encode(NumPyArray(strings: ["a", "é😀"]))
        #expect(Array(bytes.suffix(16)) == littleEndianBytes([UInt32(0x61), 0, 0xE9, 0x1F600]))
    }

    @Test func sameInputGivesIdenticalBytes() throws {
        var first = SplitMix64(seed: 99)
        var second = SplitMix64(seed: 99)
        for _ in 0 ..< 50 {
            #expect(try NPYFile.encode(first.array()) == NPYFile.encode(second.array()))
        }
        try withTemporaryDirectory { directory in
            let a = directory.appendingPathComponent("a.npy"), b = directory.appendingPathComponent("b.npy")
            try NPYFile.write(Self.examples[0], to: a)
            try NPYFile.write(Self.examples[0], to: b)
            #expect(try Data(contentsOf: a) == Data(contentsOf: b))
        }
    }

    /// A header longer than 65535 bytes needs format version 2.0 (a 4-byte length field).
    @Test func hugeHeadersUseVersion2() throws {
        let array = try NumPyArray(float64: [4.5], shape: Array(repeating: 1, count: 25000))
        let bytes = try NPYFile.encode(array)
        #expect(Array(bytes[6 ..< 8]) == [2, 0])
        let headerLength = (0 ..< 4).reduce(0) { $0 | Int(bytes[8 + $1]) << (8 * $1) }
        #expect(headerLength > 65535)
        #expect((12 + headerLength) % 64 == 0)
        #expect(try NPYFile.decode(bytes) == array)
    }

    @Test func trailingNulCannotBeWritten() {
        #expect(problem { try NPYFile.encode(NumPyArray(strings: ["ok", "bad\u{0}"])) } == .unrepresentableString("bad\u{0}"))
    }
}
