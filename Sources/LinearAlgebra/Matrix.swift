/// A dense matrix of `Double` in row-major storage: entry (i, j) is `storage[i * columns + j]`.
///
/// Row-major matches how patches are stored (one patch a row) and how LAPACKE and CBLAS
/// are called here (`CblasRowMajor`, `LAPACK_ROW_MAJOR`). The heavy operations live in
/// `Matrix+BLAS.swift`, `Matrix+Cholesky.swift` and `Matrix+Eigen.swift`.
public struct Matrix: Equatable, Sendable, CustomStringConvertible {
    public let rows: Int
    public let columns: Int
    /// Row-major entries; `storage.count == rows * columns`.
    public var storage: [Double]

    /// A `rows x columns` matrix with every entry `value`.
    public init(rows: Int, columns: Int, repeating value: Double = 0) {
        precondition(rows >= 0 && columns >= 0, "matrix dimensions must be non-negative")
        self.rows = rows
        self.columns = columns
        self.storage = Array(repeating: value, count: rows * columns)
    }

    /// A matrix over existing row-major storage. Throws if the count does not match.
    public init(rows: Int, columns: Int, storage: [Double]) throws(LinearAlgebraError) {
        guard rows >= 0, columns >= 0, storage.count == rows * columns else {
            throw .shapeMismatch(
                "storage of \(storage.count) values cannot form a \(rows)x\(columns) matrix")
        }
        self.rows = rows
        self.columns = columns
        self.storage = storage
    }

    /// A matrix from its rows; all rows must have the same length.
    public init(rowArrays: [[Double]]) throws(LinearAlgebraError) {
        let columns = rowArrays.first?.count ?? 0
        guard rowArrays.allSatisfy({ $0.count == columns }) else {
            throw .shapeMismatch("rows of different lengths cannot form a matrix")
        }
        try self.init(rows: rowArrays.count, columns: columns, storage: rowArrays.flatMap { $0 })
    }

    /// The n x n identity.
    public static func identity(_ n: Int) -> Matrix {
        var m = Matrix(rows: n, columns: n)
        for i in 0..<n { m.storage[i * n + i] = 1 }
        return m
    }

    /// A diagonal matrix with `diagonal` on its diagonal.
    public static func diagonal(_ diagonal: [Double]) -> Matrix {
        let n = diagonal.count
        var m = Matrix(rows: n, columns: n)
        for i in 0..<n { m.storage[i * n + i] = diagonal[i] }
        return m
    }

    public var isSquare: Bool { rows == columns }

    public subscript(row: Int, column: Int) -> Double {
        get { storage[row * columns + column] }
        set { storage[row * columns + column] = newValue }
    }

    /// Row `i` as an array.
    public func row(_ i: Int) -> [Double] {
        Array(storage[(i * columns)..<((i + 1) * columns)])
    }

    /// Replaces row `i`.
    public mutating func setRow(_ i: Int, to values: [Double]) {
        precondition(values.count == columns, "row length \(values.count) != \(columns) columns")
        storage.replaceSubrange((i * columns)..<((i + 1) * columns), with: values)
    }

    /// The rows at `indices`, in that order, as a new matrix.
    public func rows(_ indices: [Int]) -> Matrix {
        var out = Matrix(rows: indices.count, columns: columns)
        for (r, i) in indices.enumerated() {
            out.storage.replaceSubrange(
                (r * columns)..<((r + 1) * columns),
                with: storage[(i * columns)..<((i + 1) * columns)])
        }
        return out
    }

    /// The main diagonal.
    public var diagonalEntries: [Double] {
        (0..<min(rows, columns)).map { self[$0, $0] }
    }

    /// The transpose.
    public var transposed: Matrix {
        var t = Matrix(rows: columns, columns: rows)
        for i in 0..<rows {
            for j in 0..<columns { t.storage[j * rows + i] = storage[i * columns + j] }
        }
        return t
    }

    public var description: String {
        (0..<rows).map { i in row(i).map { String($0) }.joined(separator: " ") }
            .joined(separator: "\n")
    }
}
