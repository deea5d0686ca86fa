import Foundation
import LinearAlgebra

extension Gaussian {
    /// The contour of a 2-D Gaussian at Mahalanobis radius r, as a closed polygon for plotting:
    /// the ellipse {z : (z − μ)ᵀ Σ⁻¹ (z − μ) = r²}.
    ///
    /// With Σ = V diag(λ) Vᵀ (orthonormal V), the points are
    ///
    ///   z(t) = μ + r V diag(√λ) (cos t, sin t)ᵀ,   t = 2π j / n, j = 0, …, n,
    ///
    /// since (z − μ)ᵀ Σ⁻¹ (z − μ) = r² (cos² t + sin² t) = r². The last point repeats the
    /// first, so a line through them closes. The ellipse encloses probability
    /// 1 − exp(−r²/2) (the χ² distribution with 2 degrees of freedom): 39.3 % for r = 1,
    /// 86.5 % for r = 2.
    ///
    /// Mathematical properties (tested in `GaussianContour`):
    /// - every point has Mahalanobis distance r from μ;
    /// - the curve has n + 1 points and the last equals the first.
    ///
    /// - Throws: `RestorationError.invalidParameter` unless the Gaussian is 2-D, r > 0 and
    ///   n ≥ 3; `LinearAlgebraError` if the eigendecomposition fails.
    public func contour(radius r: Double, points n: Int = 240) throws -> (x: [Double], y: [Double]) {
        guard dimension == 2 else {
            throw RestorationError.invalidParameter("a contour needs a 2-D Gaussian, this one has dimension \(dimension)")
        }
        guard r > 0, r.isFinite, n >= 3 else {
            throw RestorationError.invalidParameter("a contour needs a positive radius and at least 3 points, got r = \(r), n = \(n)")
        }
        let eigen = try covariance.symmetricEigen()
        guard eigen.values.allSatisfy({ $0 > 0 }) else {
            throw RestorationError.invalidParameter("the covariance has eigenvalues \(eigen.values); a contour needs them positive")
        }
        let axes = (0..<2).map { j in eigen.vector(j).map { $0 * r * eigen.values[j].squareRoot() } }
        var xs: [Double] = [], ys: [Double] = []
        for j in 0...n {
            let t = j == n ? 0 : 2 * Double.pi * Double(j) / Double(n)
            let (c, s) = (cos(t), sin(t))
            xs.append(mean[0] + c * axes[0][0] + s * axes[1][0])
            ys.append(mean[1] + c * axes[0][1] + s * axes[1][1])
        }
        return (xs, ys)
    }
}
