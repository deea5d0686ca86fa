import LinearAlgebra
import Randomness

/// Random inputs for property tests, all drawn from a `SeededGenerator` so a failing case
/// is reproduced by its seed.
public enum RandomMatrices {
    /// An m x n matrix of i.i.d. N(0, scale²) entries.
    public static func gaussian(
        rows: Int, columns: Int, scale: Double = 1, using g: inout SeededGenerator
    ) -> Matrix {
        try! Matrix(rows: rows, columns: columns,
                    storage: g.gaussians(count: rows * columns, standardDeviation: scale))
    }

    /// A symmetric positive-definite n x n matrix A Aᵀ / n + ε I, with A Gaussian. Its
    /// eigenvalues lie roughly in [ε, 4] (Marchenko–Pastur for square A), so its condition
    /// number is about 4/ε: tests scale their tolerances with `conditionBound`.
    public static func spd(
        _ n: Int, ridge epsilon: Double = 0.1, scale: Double = 1, using g: inout SeededGenerator
    ) -> Matrix {
        let a = gaussian(rows: n, columns: n, scale: scale, using: &g)
        var s = a.outerGram().scaled(by: 1 / Double(max(n, 1)))
        s.addToDiagonal(epsilon * scale * scale)
        return s
    }

    /// A lower-triangular n x n matrix with diagonal entries in [0.5, 2] (well conditioned).
    public static func lowerTriangular(_ n: Int, using g: inout SeededGenerator) -> Matrix {
        var l = Matrix(rows: n, columns: n)
        for i in 0..<n {
            for j in 0..<i { l[i, j] = g.nextGaussian() * 0.3 }
            l[i, i] = 0.5 + 1.5 * g.nextUniform()
        }
        return l
    }

    /// A vector of i.i.d. N(0, scale²) entries.
    public static func vector(_ n: Int, scale: Double = 1, using g: inout SeededGenerator) -> [Double] {
        g.gaussians(count: n, standardDeviation: scale)
    }
}

/// Tolerance helpers: errors are compared relative to the size of the numbers involved.
public enum Tolerance {
    /// max |a − b| / max(1, max |b|).
    public static func relativeError(_ a: Matrix, _ b: Matrix) -> Double {
        precondition(a.rows == b.rows && a.columns == b.columns)
        var worst = 0.0
        for i in a.storage.indices { worst = max(worst, abs(a.storage[i] - b.storage[i])) }
        return worst / max(1, b.maxAbs)
    }

    /// max |a − b| / max(1, max |b|) for vectors.
    public static func relativeError(_ a: [Double], _ b: [Double]) -> Double {
        precondition(a.count == b.count)
        let scale = b.reduce(1) { max($0, abs($1)) }
        return zip(a, b).reduce(0) { max($0, abs($1.0 - $1.1)) } / scale
    }

    /// Rounding error of an O(n) accumulation, times a condition-number bound: the
    /// expected size of backward-stable errors, with a safety factor of 100.
    public static func forBackwardStable(order n: Int, condition: Double = 1) -> Double {
        100 * Double(max(n, 1)) * condition * Double.ulpOfOne
    }
}
