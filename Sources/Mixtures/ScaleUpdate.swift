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
/// **The floor.** On data with an atom (many identical samples: x = 0 for the blank
/// patches of digits) the likelihood has no maximum: a component that claims the atom has
/// density ∝ s^(−d/2) there, and the closed form drives its s towards 0 until Σ is
/// numerically singular. The floored update maximises Q = Σₖ Qₖ(sₖ) over scales that
/// differ by a factor 1/ρ at most:
///   sₖ ≥ ρ maxⱼ sⱼ   for every k.
/// This set is scale-free: it does not change when all scales are divided by one number
/// (the M-step's normalisation) and does not involve Σ or π, so a model inside it stays
/// inside through the Σ and weight updates. And it bounds the likelihood: the largest
/// component must cover the data that are not the atom, so its covariance, and ρ times it
/// the smallest, cannot shrink to 0. The update holds the closed forms below the floor at
/// it:
///   sₖ = max(sₖ*, ρ maxⱼ sⱼ*),
/// which satisfies every constraint (the largest scale is unchanged, as ρ < 1), is the
/// maximiser of each Qₖ alone over sₖ ≥ ρ maxⱼ sⱼ* (Qₖ rises up to sₖ* and falls after
/// it), and is the closed form when the closed forms already satisfy the constraints. The
/// M-step takes it when its Q is at least Q at the current scales (which satisfy the
/// constraints too) and otherwise keeps the current scales: a generalised EM step, so EM's
/// lower bound still never decreases. With ρ = 0 it is the closed form.
///
/// Mathematical properties (tested in `GSMScaleUpdate`, `GSMScaleFloor`):
/// - Qₖ′ vanishes at the closed form;
/// - Qₖ is lower on both sides of it (at s(1 ± δ) for small and large δ);
/// - the floored scales satisfy sₖ ≥ ρ maxⱼ sⱼ, equal the closed form where it is above
///   the floor, and are the closed form when every closed form satisfies the constraints.
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

    /// The closed forms sₖ* held at the floor: max(sₖ*, ρ maxⱼ sⱼ*), for ρ in [0, 1).
    public static func floored(closedForms: [Double], floorRatio rho: Double) -> [Double] {
        let floor = rho * (closedForms.max() ?? 0)
        return closedForms.map { max($0, floor) }
    }

    /// Q = Σₖ Qₖ(sₖ) from the totals: Σₖ (−(d Nₖ/2) log sₖ − Mₖ/(2 sₖ)).
    public static func expectedLogLikelihood(
        scales s: [Double], totalResponsibilities n: [Double], totalMahalanobis m: [Double], dimension d: Int
    ) -> Double {
        s.indices.reduce(0) { $0 - 0.5 * Double(d) * n[$1] * log(s[$1]) - m[$1] / (2 * s[$1]) }
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
