import Foundation
import LinearAlgebra

/// The M-step for the scales of a Gaussian scale mixture p(x) = Σₖ πₖ N(x; 0, rₖ² Σ).
///
/// With mᵢ = xᵢᵀ Σ⁻¹ xᵢ and log N(x; 0, s Σ) = −(d/2) log(2π s) − ½ log|Σ| − m/(2s), the
/// part of the expected complete-data log-likelihood that depends on s = rₖ² is
///   Qₖ(s) = Σᵢ cᵢₖ (−(d/2) log s − mᵢ / (2s)),
///   Qₖ′(s) = Σᵢ cᵢₖ (−d/(2s) + mᵢ/(2s²)) = (Σᵢ cᵢₖ mᵢ − d s Σᵢ cᵢₖ) / (2s²),
/// which is zero only at s = Σᵢ cᵢₖ mᵢ / (d Σᵢ cᵢₖ), positive below it and negative above
/// it: that s is the maximiser.
///
/// Mathematical properties (tested in `GSMScaleUpdate`):
/// - Qₖ′ vanishes at the closed form;
/// - Qₖ is lower on both sides of it (at s(1 ± δ) for small and large δ).
public enum ScaleUpdate {
    /// rₖ² = Σᵢ cᵢₖ mᵢ / (d Σᵢ cᵢₖ).
    public static func closedForm(responsibilities c: [Double], mahalanobis m: [Double], dimension d: Int) -> Double {
        closedForm(totalResponsibility: c.reduce(0, +),
                   totalMahalanobis: zip(c, m).reduce(0) { $0 + $1.0 * $1.1 }, dimension: d)
    }

    /// rₖ² = Mₖ / (d Nₖ) from the totals Nₖ = Σᵢ cᵢₖ and Mₖ = Σᵢ cᵢₖ mᵢ.
    public static func closedForm(totalResponsibility n: Double, totalMahalanobis m: Double, dimension d: Int) -> Double {
        m / (Double(d) * n)
    }

    /// Qₖ(s) = Σᵢ cᵢₖ (−(d/2) log s − mᵢ/(2s)).
    public static func expectedLogLikelihood(
        scale s: Double, responsibilities c: [Double], mahalanobis m: [Double], dimension d: Int
    ) -> Double {
        zip(c, m).reduce(0) { $0 + $1.0 * (-0.5 * Double(d) * log(s) - $1.1 / (2 * s)) }
    }

    /// Qₖ′(s) = Σᵢ cᵢₖ (−d/(2s) + mᵢ/(2s²)).
    public static func derivative(
        scale s: Double, responsibilities c: [Double], mahalanobis m: [Double], dimension d: Int
    ) -> Double {
        zip(c, m).reduce(0) { $0 + $1.0 * (-0.5 * Double(d) / s + $1.1 / (2 * s * s)) }
    }
}
