import Testing
import NumPyFormat

/// Every kind of malformed `.npy` input is a thrown `NumPyFormatError` saying what is wrong.
@Suite struct NPYMalformedTests {
    static func header(descr: String = "<f8", shape: String) -> String {
        "{'descr': '\(descr)', 'fortran_order': False, 'shape': \(shape), }"
    }

    @Test func emptyInput() {
        #expect(problem { try NPYFile.decode([UInt8]()) } == .emptyInput)
    }

    @Test func badMagic() {
        let error = problem { try NPYFile.decode(Array("PK\u{3}\u{4} this is a zip, not an npy file".utf8)) }
        #expect(error == .badMagic)
        #expect(error?.description.hasPrefix("not a .npy file (bad magic") == true)
        #expect(problem { try NPYFile.decode([0x93, 0x4E, 0x55, 0x4D, 0x50, 0x58, 1, 0, 0, 0]) } == .badMagic)
    }

    @Test func unsupportedVersion() {
        let bytes = npyBytes(header: Self.header(shape: "()"), data: [])
        #expect(problem { try NPYFile.decode(Array(bytes[0 ..< 6]) + [4, 0] + bytes[8...]) } == .unsupportedVersion(major: 4, minor: 0))
        #expect(problem { try NPYFile.decode(Array(bytes[0 ..< 6]) + [1, 1] + bytes[8...]) } == .unsupportedVersion(major: 1, minor: 1))
    }

    @Test func truncatedHeader() {
        let bytes = npyBytes(header: Self.header(shape: "(1,)"), data: littleEndianBytes([(1.0).bitPattern]))
        for length in 1 ..< 128 {
            #expect(caseName(problem { try NPYFile.decode(Array(bytes.prefix(length))) }) == "truncatedHeader", "\(length) bytes")
        }
        #expect(problem { try NPYFile.decode(Array(bytes.prefix(40))) } == .truncatedHeader(needed: 128, available: 40))
        // A version 2.0 header length of 4 GiB − 1 in a small file.
        #expect(problem { try NPYFile.decode([0x93] + Array("NUMPY".utf8) + [2, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0x7B]) }
            == .truncatedHeader(needed: 12 + 0xFFFF_FFFF, available: 13))
    }

    @Test(arguments: [
        "",
        "not a dict",
        "{'descr': '<f8', 'fortran_order': False}",
        "{'descr': '<f8', 'shape': (3,)}",
        "{'fortran_order': False, 'shape': (3,)}",
        "{'descr' '<f8', 'fortran_order': False, 'shape': (3,)}",
        "{'descr': '<f8', 'fortran_order': False, 'shape': (3,)",
        "{'descr': '<f8', 'fortran_order': False, 'shape': (3,)} extra",
        "{'descr': '<f8', 'fortran_order': 0, 'shape': (3,)}",
        "{'descr': '<f8', 'fortran_order': false, 'shape': (3,)}",
        "{'descr': '<f8', 'fortran_order': False, 'shape': 3}",
        "{'descr': '<f8', 'fortran_order': False, 'shape': (3)}",
        "{'descr': '<f8', 'fortran_order': False, 'shape': [3]}",
        "{'descr': '<f8', 'fortran_order': False, 'shape': (2.5,)}",
        "{'descr': '<f8', 'fortran_order': False, 'shape': ('3',)}",
        "{'descr': '<f8', 'fortran_order': False, 'shape': (3,,)}",
        "{'descr': '<f8', 'fortran_order': False, 'shape': (99999999999999999999,)}",
        "{'descr': '<f8', 'fortran_order': False, 'shape': [3][0:0]}",
        "{'descr': '<f8', 'fortran_order': False, 'shape': (3,), 'extra': 1}",
        "{'descr': '<f8', 'descr': '<f8', 'fortran_order': False, 'shape': (3,)}",
        "{'descr': 5, 'fortran_order': False, 'shape': (3,)}",
        "{'descr': '<f8, 'fortran_order': False, 'shape': (3,)}",
        "{'descr': '<f\\x38', 'fortran_order': False, 'shape': (3,)}",
        "{3: '<f8', 'fortran_order': False, 'shape': (3,)}",
        "{'descr': '<f8', 'fortran_order': False, 'shape': " + String(repeating: "(", count: 10000) + "}",
    ])
    func badDictionary(header: String) {
        let error = problem { try NPYFile.decode(npyBytes(header: header, data: NPYReadingTests.oneTwoThree)) }
        #expect(caseName(error) == "badHeader", "\(header.prefix(80)): \(String(describing: error))")
        #expect(error?.description.hasPrefix("bad header: ") == true)
    }

    @Test func negativeDimension() {
        #expect(problem { try NPYFile.decode(npyBytes(header: Self.header(shape: "(-1,)"), data: [])) } == .invalidShape([-1]))
    }

    @Test(arguments: ["<c16", "<f16", "|O", "|S5", "<M8[ns]", "<V8", "u", "<f", "<f8x", "<U99999999999999999999", ""])
    func unsupportedDType(descr: String) {
        let error = problem { try NPYFile.decode(npyBytes(header: Self.header(descr: descr, shape: "(1,)"), data: [0])) }
        #expect(caseName(error) == "unsupportedDType", "\(descr)")
        #expect(error?.description.hasPrefix("unsupported dtype '\(descr)'") == true)
    }

    @Test func structuredObjectAndZeroWidthDTypes() throws {
        let structured = "{'descr': [('x', '<f8'), ('y', '<i4', (2,))], 'fortran_order': False, 'shape': (1,)}"
        let error = problem { try NPYFile.decode(npyBytes(header: structured, data: [])) }
        #expect(error?.description == "unsupported dtype [('x', '<f8'), ('y', '<i4', (2,))] (structured dtypes are not supported)")
        #expect(problem { try NPYFile.decode(npyBytes(header: Self.header(descr: "|O", shape: "(1,)"), data: [])) }?.description
            == "unsupported dtype '|O' (Python objects need pickle; save numeric or str arrays)")
        #expect(caseName(problem { try NPYFile.decode(npyBytes(header: Self.header(descr: "<U0", shape: "(5,)"), data: [])) }) == "unsupportedDType")
        #expect(try NPYFile.decode(npyBytes(header: Self.header(descr: "<U0", shape: "(0,)"), data: [])) == NumPyArray(strings: []))
    }

    @Test func absurdShapes() {
        let huge = problem { try NPYFile.decode(npyBytes(header: Self.header(shape: "(2147483648, 2147483648)"), data: [])) }
        #expect(huge == .shapeTooLarge([2_147_483_648, 2_147_483_648]))
        #expect(huge?.description == "shape (2147483648, 2147483648) is too large")
        #expect(problem { try NPYFile.decode(npyBytes(header: Self.header(shape: "(4294967296, 4294967296, 4294967296)"), data: [])) }
            == .shapeTooLarge([4_294_967_296, 4_294_967_296, 4_294_967_296]))
        // Fits in Int but not in the file: refused before anything is allocated.
        #expect(problem { try NPYFile.decode(npyBytes(header: Self.header(descr: "|u1", shape: "(4611686018427387904,)"), data: [1, 2])) }
            == .truncatedData(count: 4_611_686_018_427_387_904, dtype: "uint8", bytesNeeded: 4_611_686_018_427_387_904, bytesAvailable: 2))
    }

    @Test func truncatedData() {
        let error = problem { try NPYFile.decode(npyBytes(header: Self.header(shape: "(1000,)"), data: Array(repeating: 0, count: 12))) }
        #expect(error == .truncatedData(count: 1000, dtype: "float64", bytesNeeded: 8000, bytesAvailable: 12))
        #expect(error?.description == "truncated data: header says 1000 float64 values (8000 bytes), file has 12")
        let strings = problem { try NPYFile.decode(npyBytes(header: Self.header(descr: "<U3", shape: "(2,)"), data: [0, 0, 0])) }
        #expect(strings == .truncatedData(count: 2, dtype: "'<U3'", bytesNeeded: 24, bytesAvailable: 3))
    }

    @Test func trailingBytes() {
        #expect(problem { try NPYFile.decode(npyBytes(header: Self.header(shape: "(1,)"), data: Array(repeating: 0, count: 11))) }
            == .trailingBytes(3))
    }

    @Test func valuesThatDoNotFit() {
        #expect(caseName(problem { try NPYFile.decode(npyBytes(header: Self.header(descr: "<u8", shape: "(1,)"), data: Array(repeating: 0xFF, count: 8))) })
            == "valueOutOfRange")
        #expect(problem { try NPYFile.decode(npyBytes(header: Self.header(descr: "<U1", shape: "(1,)"), data: littleEndianBytes([UInt32(0xD800)]))) }
            == .invalidCodePoint(0xD800))
        #expect(problem { try NPYFile.decode(npyBytes(header: Self.header(descr: "<U1", shape: "(1,)"), data: littleEndianBytes([UInt32(0x11_0000)]))) }
            == .invalidCodePoint(0x11_0000))
    }
}
