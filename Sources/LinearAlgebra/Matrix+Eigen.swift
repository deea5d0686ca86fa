import CLAPACK

/// The eigendecomposition of a symmetric matrix, A = V diag(λ) Vᵀ, with orthonormal V
/// (LAPACK DSYEVD, divide and conquer).
public struct SymmetricEigendecomposition: Sendable {
    /// Eigenvalues in ascending order.
    public let values: [Double]
    /// Eigenvectors as columns: column j belongs to `values[j]`.
    public let vectors: Matrix

    /// Eigenvector j as an array.
    public func vector(_ j: Int) -> [Double] {
        (0..<vectors.rows).map { vectors[$0, j] }
    }
}

extension Matrix {
    /// A = V diag(λ) Vᵀ for symmetric A (only the lower triangle is read).
    public func symmetricEigen() throws(LinearAlgebraError) -> SymmetricEigendecomposition {
        guard isSquare else {
            throw .shapeMismatch("eigendecomposition needs a square matrix, got \(rows)x\(columns)")
        }
        let n = rows
        var a = self
        var w = [Double](repeating: 0, count: n)
        if n > 0 {
            let info = a.storage.withUnsafeMutableBufferPointer { pa in
                w.withUnsafeMutableBufferPointer { pw in
                    LAPACKE_dsyevd(
                        LAPACK_ROW_MAJOR, Int8(UInt8(ascii: "V")), Int8(UInt8(ascii: "L")),
                        Int32(n), pa.baseAddress, Int32(n), pw.baseAddress)
                }
            }
            if info != 0 { throw .lapackFailure(routine: "DSYEVD", info: Int(info)) }
        }
        return SymmetricEigendecomposition(values: w, vectors: a)
    }
}
