import Foundation
import LinearAlgebra

/// The M-step for the mixture weights, derived with a Lagrange multiplier.
///
/// Given responsibilities cᵢₖ (each row sums to one), the part of the expected complete-data
/// log-likelihood that depends on π is
///   Q(π) = Σᵢ Σₖ cᵢₖ log πₖ,
/// maximised on the simplex Σₖ πₖ = 1. The Lagrangian
///   𝓛(π, λ) = Σᵢ Σₖ cᵢₖ log πₖ − λ (Σₖ πₖ − 1)
/// has ∂𝓛/∂πₖ = Σᵢ cᵢₖ / πₖ − λ = 0, so πₖ = Nₖ / λ with Nₖ = Σᵢ cᵢₖ; the constraint gives
/// λ = Σₖ Nₖ = N, hence πₖ = (1/N) Σᵢ cᵢₖ. Q is concave, so this stationary point is the
/// maximum.
///
/// Mathematical properties (tested in `LagrangeWeightUpdate`):
/// - the closed form lies on the simplex;
/// - Q at the closed form is at least Q at any other point of the simplex (random points and
///   small perturbations of the closed form);
/// - ∇π 𝓛 vanishes at the closed form with λ = N.
public enum WeightUpdate {
    /// πₖ = Nₖ / Σⱼ Nⱼ, the closed form from the totals Nₖ = Σᵢ cᵢₖ (Σⱼ Nⱼ = N).
    public static func closedForm(totals: [Double]) -> [Double] {
        let n = totals.reduce(0, +)
        return totals.map { $0 / n }
    }

    /// πₖ = (1/N) Σᵢ cᵢₖ for an N x K matrix of responsibilities.
    public static func closedForm(responsibilities c: Matrix) -> [Double] {
        closedForm(totals: columnSums(c))
    }

    /// Q(π) = Σᵢ Σₖ cᵢₖ log πₖ (a term with cᵢₖ = 0 counts 0, also where πₖ = 0).
    public static func expectedLogLikelihood(weights: [Double], responsibilities c: Matrix) -> Double {
        let totals = columnSums(c)
        var q = 0.0
        for k in weights.indices where totals[k] != 0 { q += totals[k] * log(weights[k]) }
        return q
    }

    /// 𝓛(π, λ) = Q(π) − λ (Σₖ πₖ − 1).
    public static func lagrangian(weights: [Double], responsibilities c: Matrix, multiplier lambda: Double) -> Double {
        expectedLogLikelihood(weights: weights, responsibilities: c) - lambda * (weights.reduce(0, +) - 1)
    }

    /// ∂𝓛/∂πₖ = Σᵢ cᵢₖ / πₖ − λ.
    public static func lagrangianGradient(
        weights: [Double], responsibilities c: Matrix, multiplier lambda: Double
    ) -> [Double] {
        zip(columnSums(c), weights).map { $0 / $1 - lambda }
    }

    /// Nₖ = Σᵢ cᵢₖ.
    static func columnSums(_ c: Matrix) -> [Double] {
        var totals = [Double](repeating: 0, count: c.columns)
        for i in 0..<c.rows { for k in 0..<c.columns { totals[k] += c[i, k] } }
        return totals
    }
}
