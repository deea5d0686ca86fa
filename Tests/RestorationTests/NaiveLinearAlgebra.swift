import Foundation
import LinearAlgebra

/// Textbook dense linear algebra on row arrays, independent of BLAS/LAPACK and of the
/// library's Cholesky code: reference values for tests of the batched estimators.
enum NaiveLinearAlgebra {
    /// The rows of a matrix.
    static func rows(_ a: Matrix) -> [[Double]] {
        (0..<a.rows).map { a.row($0) }
    }

    /// A B, by the triple loop.
    static func product(_ a: [[Double]], _ b: [[Double]]) -> [[Double]] {
        a.map { row in (0..<b[0].count).map { j in row.indices.reduce(0.0) { $0 + row[$1] * b[$1][j] } } }
    }

    /// A v.
    static func product(_ a: [[Double]], _ v: [Double]) -> [Double] {
        a.map { row in zip(row, v).reduce(0.0) { $0 + $1.0 * $1.1 } }
    }

    static func transposed(_ a: [[Double]]) -> [[Double]] {
        (0..<a[0].count).map { j in a.map { $0[j] } }
    }

    /// A⁻¹ by Gauss–Jordan elimination on [A | I] with partial pivoting.
    static func inverse(_ a: [[Double]]) -> [[Double]] {
        let n = a.count
        var augmented = a.enumerated().map { i, row in row + (0..<n).map { $0 == i ? 1.0 : 0.0 } }
        for column in 0..<n {
            let pivot = (column..<n).max { abs(augmented[$0][column]) < abs(augmented[$1][column]) }!
            augmented.swapAt(column, pivot)
            let scale = augmented[column][column]
            augmented[column] = augmented[column].map { $0 / scale }
            for i in 0..<n where i != column {
                let factor = augmented[i][column]
                augmented[i] = zip(augmented[i], augmented[column]).map { $0 - factor * $1 }
            }
        }
        return augmented.map { Array($0[n...]) }
    }

    /// log |det A| by Gaussian elimination with partial pivoting (the product of the pivots).
    static func logAbsDeterminant(_ a: [[Double]]) -> Double {
        var u = a
        let n = a.count
        var sum = 0.0
        for column in 0..<n {
            let pivot = (column..<n).max { abs(u[$0][column]) < abs(u[$1][column]) }!
            u.swapAt(column, pivot)
            sum += log(abs(u[column][column]))
            for i in (column + 1)..<max(n, column + 1) {
                let factor = u[i][column] / u[column][column]
                u[i] = zip(u[i], u[column]).map { $0 - factor * $1 }
            }
        }
        return sum
    }
}
