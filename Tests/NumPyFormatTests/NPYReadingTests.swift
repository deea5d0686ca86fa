import Testing
import NumPyFormat

/// Files written by other programs: header dictionaries in other spellings, other format
/// versions, and dtypes we read but do not write.
@Suite struct NPYReadingTests {
    static let oneTwoThree = littleEndianBytes([1.0, 2.0, 3.0].map(\.bitPattern))

    @Test(arguments: [
        "{'descr': '<f8', 'fortran_order': False, 'shape': (3,), }",
        "{'shape': (3,), 'fortran_order': False, 'descr': '<f8'}",
        "{ 'fortran_order' :False,'descr':'<f8','shape':( 3 , ) }",
        "{\"descr\": \"<f8\", \"fortran_order\": False, \"shape\": (3,),}",
        "{'descr': '<f8',\n 'fortran_order': False,\n 'shape': (3L,)}",
        "{'descr': 'f8', 'fortran_order': False, 'shape': (3,)}",
        "{'descr': '=f8', 'fortran_order': False, 'shape': ((3),) }",
    ])
    func headerSpellings(header: String) throws {
        #expect(try NPYFile.decode(npyBytes(header: header, data: Self.oneTwoThree)) == NumPyArray(float64: [1, 2, 3]))
    }

    @Test func versions2And3() throws {
        let header = "{'descr': '<f8', 'fortran_order': False, 'shape': (3,), }"
        #expect(try NPYFile.decode(npyBytes(header: header, data: Self.oneTwoThree, major: 2)) == NumPyArray(float64: [1, 2, 3]))
        #expect(try NPYFile.decode(npyBytes(header: header, data: Self.oneTwoThree, major: 3)) == NumPyArray(float64: [1, 2, 3]))
    }

    @Test func scalarAndEmptyShapes() throws {
        #expect(try NPYFile.decode(npyBytes(header: "{'descr': '<f8', 'fortran_order': False, 'shape': ()}",
                                            data: littleEndianBytes([(2.5).bitPattern]))) == NumPyArray(scalar: 2.5))
        #expect(try NPYFile.decode(npyBytes(header: "{'descr': '<f8', 'fortran_order': False, 'shape': (0, 7)}", data: []))
            == NumPyArray(float64: [], shape: [0, 7]))
    }

    @Test func floatTypesWidenToFloat64() throws {
        let f4 = npyBytes(header: "{'descr': '<f4', 'fortran_order': False, 'shape': (3,)}",
                          data: littleEndianBytes([Float(1.5), -0.1, .infinity].map(\.bitPattern)))
        #expect(try NPYFile.decode(f4).float64Values() == [1.5, Double(Float(-0.1)), .infinity])
        let f2 = npyBytes(header: "{'descr': '<f2', 'fortran_order': False, 'shape': (2,)}",
                          data: littleEndianBytes([Float16(0.5), Float16(-3)].map(\.bitPattern)))
        #expect(try NPYFile.decode(f2).float64Values() == [0.5, -3])
        let bigEndian = npyBytes(header: "{'descr': '>f8', 'fortran_order': False, 'shape': (2,)}",
                                 data: [1.0, -2.75].flatMap { value in (0 ..< 8).reversed().map { UInt8(truncatingIfNeeded: value.bitPattern >> ($0 * 8)) } })
        #expect(try NPYFile.decode(bigEndian).float64Values() == [1.0, -2.75])
        let bigF4 = npyBytes(header: "{'descr': '>f4', 'fortran_order': False, 'shape': (1,)}", data: [0x3F, 0xC0, 0, 0])
        #expect(try NPYFile.decode(bigF4).float64Values() == [1.5])
    }

    @Test func integerTypesWidenToInt64() throws {
        let cases: [(String, [UInt8], [Int64])] = [
            ("<i4", littleEndianBytes([Int32.min, -1, 5]), [Int64(Int32.min), -1, 5]),
            ("<i2", littleEndianBytes([Int16(-300), 300]), [-300, 300]),
            ("|i1", [0x80, 0x7F], [-128, 127]),
            ("<u2", littleEndianBytes([UInt16.max]), [65535]),
            ("<u4", littleEndianBytes([UInt32.max]), [4_294_967_295]),
            ("<u8", littleEndianBytes([UInt64(Int64.max)]), [.max]),
            (">i4", [0xFF, 0xFF, 0xFF, 0xFE], [-2]),
            (">i8", [0, 0, 0, 0, 0, 0, 1, 0], [256]),
            ("<i8", littleEndianBytes([Int64.min]), [.min]),
        ]
        for (descr, data, expected) in cases {
            let bytes = npyBytes(header: "{'descr': '\(descr)', 'fortran_order': False, 'shape': (\(expected.count),)}", data: data)
            #expect(try NPYFile.decode(bytes).int64Values() == expected, "\(descr)")
        }
    }

    @Test func boolsBecomeZeroOrOne() throws {
        let bytes = npyBytes(header: "{'descr': '|b1', 'fortran_order': False, 'shape': (3,)}", data: [0, 1, 2])
        #expect(try NPYFile.decode(bytes).uint8Values() == [0, 1, 1])
    }

    @Test func bigEndianStrings() throws {
        let bytes = npyBytes(header: "{'descr': '>U2', 'fortran_order': False, 'shape': (2,)}",
                             data: [0, 0, 0, 0x68, 0, 0, 0, 0x69, 0, 1, 0xF6, 0, 0, 0, 0, 0])
        #expect(try NPYFile.decode(bytes).strings() == ["hi", "😀"])
    }

    /// Fortran order stores axis 0 fastest; reading converts to C order:
    /// C offset of (i, j, k) in shape (2, 3, 4) is 12i + 4j + k, Fortran offset i + 2j + 6k.
    @Test func fortranOrderBecomesCOrder() throws {
        let matrix = npyBytes(header: "{'descr': '<i8', 'fortran_order': True, 'shape': (2, 3)}",
                              data: littleEndianBytes([Int64(11), 21, 12, 22, 13, 23]))
        let decoded = try NPYFile.decode(matrix)
        #expect(decoded.shape == [2, 3])
        #expect(try decoded.int64Values() == [11, 12, 13, 21, 22, 23])

        var fortran = [Int64](repeating: 0, count: 24)
        for i in 0 ..< 2 { for j in 0 ..< 3 { for k in 0 ..< 4 { fortran[i + 2 * j + 6 * k] = Int64(100 * i + 10 * j + k) } } }
        let cube = try NPYFile.decode(npyBytes(header: "{'descr': '<i8', 'fortran_order': True, 'shape': (2, 3, 4)}",
                                               data: littleEndianBytes(fortran)))
        let values = try cube.int64Values()
        for i in 0 ..< 2 { for j in 0 ..< 3 { for k in 0 ..< 4 { #expect(values[12 * i + 4 * j + k] == Int64(100 * i + 10 * j + k)) } } }

        let vector = npyBytes(header: "{'descr': '<f8', 'fortran_order': True, 'shape': (3,)}", data: Self.oneTwoThree)
        #expect(try NPYFile.decode(vector) == NumPyArray(float64: [1, 2, 3]))
        let empty = npyBytes(header: "{'descr': '<f8', 'fortran_order': True, 'shape': (0, 3)}", data: [])
        #expect(try NPYFile.decode(empty).shape == [0, 3])
    }
}
