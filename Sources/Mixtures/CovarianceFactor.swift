import LinearAlgebra

/// The Cholesky factor Σ = L Lᵀ of a covariance, or nil when Σ is not positive definite to
/// working precision.
///
/// LAPACK's factorisation succeeds on any matrix whose pivots come out positive, and a
/// covariance of data in a lower-dimensional subspace is singular only up to rounding, so
/// its last pivot is a few ulps of either sign. A pivot is the conditional variance of a
/// coordinate given the ones before it, Lⱼⱼ² = Var(xⱼ | x₁, ..., xⱼ₋₁); when it is below
/// 100 d ε_machine Σⱼⱼ the coordinate is a linear combination of the others up to rounding,
/// and Σ is treated as singular.
///
/// Mathematical properties (tested in `BadInput`):
/// - the covariance of data with rank < d is singular; adding εI makes it positive definite.
func covarianceCholesky(_ sigma: Matrix) -> CholeskyFactor? {
    guard let factor = try? sigma.cholesky() else { return nil }
    let threshold = 100 * Double(sigma.rows) * Double.ulpOfOne
    for j in 0..<sigma.rows {
        let pivot = factor.lower[j, j]
        guard pivot * pivot > threshold * sigma[j, j] else { return nil }
    }
    return factor
}
