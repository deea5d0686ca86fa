import Foundation

import CBLAS
import CLAPACK

/// The Cholesky factor of a symmetric positive-definite matrix: A = L Lᵀ with L lower
/// triangular and positive diagonal (LAPACK DPOTRF).
///
/// Mathematical properties (each tested in `Tests/LinearAlgebraTests`):
/// - L Lᵀ = A;
/// - log |A| = 2 Σᵢ log Lᵢᵢ (the determinant of a triangular matrix is the product of its
///   diagonal, and |A| = |L|²);
/// - `solve(B)` returns X with A X = B; `inverse()` times A is I.
public struct CholeskyFactor: Sendable, Equatable {
    /// L, with zeros above the diagonal.
    public let lower: Matrix

    public var order: Int { lower.rows }

    /// log |A| = 2 Σᵢ log Lᵢᵢ.
    public var logDeterminant: Double {
        2 * lower.diagonalEntries.reduce(0) { $0 + log($1) }
    }

    /// X with A X = B, by two triangular solves: L W = B, then Lᵀ X = W.
    public func solve(_ b: Matrix) throws(LinearAlgebraError) -> Matrix {
        var x = b
        try Matrix.solveTriangular(lower, lower: true, transpose: false, side: .left, &x)
        try Matrix.solveTriangular(lower, lower: true, transpose: true, side: .left, &x)
        return x
    }

    /// x with A x = b.
    public func solve(vector b: [Double]) throws(LinearAlgebraError) -> [Double] {
        try solve(Matrix(rows: b.count, columns: 1, storage: b)).storage
    }

    /// A⁻¹ (DPOTRI on the factor), symmetric. Prefer `solve` where a product with the
    /// inverse is all that is needed.
    public func inverse() -> Matrix {
        var a = lower
        let n = order
        guard n > 0 else { return a }
        let info = a.storage.withUnsafeMutableBufferPointer { p in
            LAPACKE_dpotri(LAPACK_ROW_MAJOR, Int8(UInt8(ascii: "L")), Int32(n), p.baseAddress, Int32(n))
        }
        precondition(info == 0, "DPOTRI failed on a valid Cholesky factor (info \(info))")
        a.mirrorLowerToUpper()
        return a
    }

    /// L⁻ᵀ, the upper-triangular factor of the precision: A⁻¹ = (L⁻ᵀ)(L⁻ᵀ)ᵀ. With it the
    /// Mahalanobis distance of every row x of a data matrix X is one GEMM:
    /// (x − μ)ᵀ A⁻¹ (x − μ) = ‖(x − μ)ᵀ L⁻ᵀ‖².
    public func inverseTransposed() -> Matrix {
        var u = Matrix.identity(order)
        // Solve Lᵀ U = I for U = L⁻ᵀ.
        try! Matrix.solveTriangular(lower, lower: true, transpose: true, side: .left, &u)  // square by construction
        return u
    }
}

/// Which side a triangular matrix multiplies from in `solveTriangular`.
public enum TriangularSide: Sendable {
    /// Solve op(T) X = B.
    case left
    /// Solve X op(T) = B.
    case right
}

extension Matrix {
    /// The Cholesky factor A = L Lᵀ (DPOTRF). Throws `.notPositiveDefinite` naming the
    /// first leading minor that is not positive, or `.shapeMismatch` if A is not square.
    /// Only the lower triangle of A is read.
    public func cholesky() throws(LinearAlgebraError) -> CholeskyFactor {
        guard isSquare else {
            throw .shapeMismatch("Cholesky needs a square matrix, got \(rows)x\(columns)")
        }
        if let bad = storage.first(where: { !$0.isFinite }) {
            throw .shapeMismatch("Cholesky of a matrix with a non-finite entry (\(bad))")
        }
        var l = self
        let n = rows
        if n > 0 {
            let info = l.storage.withUnsafeMutableBufferPointer { p in
                LAPACKE_dpotrf(LAPACK_ROW_MAJOR, Int8(UInt8(ascii: "L")), Int32(n), p.baseAddress, Int32(n))
            }
            if info > 0 { throw .notPositiveDefinite(order: n, minor: Int(info)) }
            if info < 0 { throw .lapackFailure(routine: "DPOTRF", info: Int(info)) }
        }
        for i in 0..<n { for j in (i + 1)..<max(n, i + 1) { l.storage[i * n + j] = 0 } }
        return CholeskyFactor(lower: l)
    }

    /// The inverse of a symmetric positive-definite matrix through its Cholesky factor.
    public func spdInverse() throws(LinearAlgebraError) -> Matrix {
        try cholesky().inverse()
    }

    /// log |A| of a symmetric positive-definite A, from its Cholesky factor.
    public func logDeterminantSPD() throws(LinearAlgebraError) -> Double {
        try cholesky().logDeterminant
    }

    /// Solves a triangular system in place (DTRSM): op(T) X = B (`side: .left`) or
    /// X op(T) = B (`side: .right`), with op(T) = T or Tᵀ; `b` is overwritten with X.
    /// T must be square with a non-zero diagonal; only its `lower` (or upper) triangle is read.
    public static func solveTriangular(
        _ t: Matrix, lower: Bool, transpose: Bool, side: TriangularSide, _ b: inout Matrix
    ) throws(LinearAlgebraError) {
        let n = t.rows
        guard t.isSquare else {
            throw .shapeMismatch("triangular solve needs a square matrix, got \(t.rows)x\(t.columns)")
        }
        let needed = side == .left ? b.rows : b.columns
        guard needed == n else {
            throw .shapeMismatch("triangular solve: T is \(n)x\(n), B is \(b.rows)x\(b.columns)")
        }
        guard b.rows > 0, b.columns > 0 else { return }
        let (m, cols) = (Int32(b.rows), Int32(b.columns))
        t.storage.withUnsafeBufferPointer { pt in
            b.storage.withUnsafeMutableBufferPointer { pb in
                cblas_dtrsm(
                    CblasRowMajor, side == .left ? CblasLeft : CblasRight,
                    lower ? CblasLower : CblasUpper, transpose ? CblasTrans : CblasNoTrans,
                    CblasNonUnit, m, cols, 1, pt.baseAddress, Int32(n), pb.baseAddress, cols)
            }
        }
    }
}
