import Testing
import NumPyFormat

@Suite struct NumPyArrayTests {
    @Test func initialisersSetShapeAndValues() throws {
        let matrix = try NumPyArray(float64: [1, 2, 3, 4, 5, 6], shape: [2, 3])
        #expect(matrix.shape == [2, 3])
        #expect(try matrix.float64Values() == [1, 2, 3, 4, 5, 6])
        #expect(matrix.count == 6)

        #expect(NumPyArray(float64: [1.5, 2.5]).shape == [2])
        #expect(NumPyArray(int64: [7, -8]).values == .int64([7, -8]))
        #expect(NumPyArray(uint8: [0, 255]).values == .uint8([0, 255]))
        #expect(NumPyArray(strings: ["a", "bc"]).shape == [2])
        #expect(try NumPyArray(int64: [1, 2, 3, 4], shape: [2, 2]).int64Values() == [1, 2, 3, 4])
        #expect(try NumPyArray(uint8: [], shape: [0, 5]).count == 0)
        #expect(try NumPyArray(strings: ["x"], shape: [1, 1]).string() == "x")
    }

    @Test func scalarsAreZeroDimensional() throws {
        #expect(NumPyArray(scalar: 2.5).shape == [])
        #expect(try NumPyArray(scalar: 2.5).float64() == 2.5)
        #expect(try NumPyArray(scalar: 42).int64() == 42)
        #expect(try NumPyArray(scalar: Int64.min).int64() == .min)
        #expect(try NumPyArray(string: "π ≈ 3.14").string() == "π ≈ 3.14")
        #expect(NumPyArray(string: "").count == 1)
    }

    @Test func shapeMustMatchTheValues() {
        #expect(problem { try NumPyArray(float64: [1, 2, 3], shape: [2, 2]) } == .elementCountMismatch(shape: [2, 2], count: 3))
        #expect(problem { try NumPyArray(float64: [], shape: []) } == .elementCountMismatch(shape: [], count: 0))
        #expect(problem { try NumPyArray(int64: [1], shape: [-1]) } == .invalidShape([-1]))
        #expect(problem { try NumPyArray(uint8: [1], shape: [Int.max, 2, 1]) } == .elementCountMismatch(shape: [Int.max, 2, 1], count: 1))
        #expect(throws: Never.self) { try NumPyArray(float64: [], shape: [Int.max, Int.max, 0]) }
    }

    @Test func accessorsRefuseTheWrongType() {
        let floats = NumPyArray(float64: [1, 2])
        let error = problem { try floats.int64Values() }
        #expect(error == .dtypeMismatch(expected: "int64", actual: "float64 array of shape (2,)"))
        #expect(error?.description == "expected int64 values, found a float64 array of shape (2,)")
        #expect(problem { try floats.uint8Values() } != nil)
        #expect(problem { try floats.strings() } != nil)
        #expect(problem { try NumPyArray(scalar: 1).float64() } == .dtypeMismatch(expected: "float64", actual: "int64 array of shape ()"))
        #expect(problem { try NumPyArray(string: "a").int64() } != nil)
    }

    @Test func scalarAccessorsNeedExactlyOneElement() {
        #expect(problem { try NumPyArray(float64: [1, 2]).float64() } == .notAScalar(shape: [2]))
        #expect(problem { try NumPyArray(strings: []).string() } == .notAScalar(shape: [0]))
        #expect(problem { try NumPyArray(int64: [], shape: [0, 3]).int64() } == .notAScalar(shape: [0, 3]))
    }

    @Test func requireShape() throws {
        let array = try NumPyArray(float64: [1, 2, 3, 4, 5, 6], shape: [3, 2])
        #expect(throws: Never.self) { try array.requireShape([3, 2]) }
        let error = problem { try array.requireShape([2, 3]) }
        #expect(error == .shapeMismatch(expected: [2, 3], actual: [3, 2]))
        #expect(error?.description == "expected shape (2, 3), found (3, 2)")
    }
}
