import Foundation
import LinearAlgebra

/// The part of the EM objective that depends on one isotropic component's mean μ and
/// variance σ², given fixed responsibilities cᵢ of that component:
///
/// Q(μ, σ²) = Σᵢ cᵢ [−(D/2) log(2πσ²) − ‖xᵢ − μ‖² / (2σ²)].
///
/// Its gradient is ∂Q/∂μ = Σᵢ cᵢ (xᵢ − μ) / σ² and
/// ∂Q/∂σ² = Σᵢ cᵢ [−D/(2σ²) + ‖xᵢ − μ‖² / (2σ⁴)]; both vanish at the M-step
/// μ* = Σᵢ cᵢ xᵢ / Σᵢ cᵢ, σ²* = Σᵢ cᵢ ‖xᵢ − μ*‖² / (D Σᵢ cᵢ), the unique maximiser.
public struct IsotropicComponentObjective: Sendable {
    /// The samples, one a row (N x D).
    public let x: Matrix
    /// The responsibilities c₁, ..., c_N of the component (non-negative, not all zero).
    public let responsibilities: [Double]

    /// Throws if the counts differ, a responsibility is negative or not finite, or all are zero.
    public init(x: Matrix, responsibilities: [Double]) throws {
        guard x.rows == responsibilities.count else {
            throw MixtureError.dimensionMismatch(expected: x.rows, found: responsibilities.count,
                                                 context: "the responsibilities of the isotropic objective")
        }
        guard responsibilities.allSatisfy({ $0 >= 0 && $0.isFinite }), responsibilities.contains(where: { $0 > 0 }) else {
            throw MixtureError.invalidParameters("the responsibilities must be finite, non-negative and not all zero")
        }
        self.x = x
        self.responsibilities = responsibilities
    }

    /// Σᵢ cᵢ ‖xᵢ − μ‖².
    public func weightedSquaredDistance(to mean: [Double]) -> Double {
        var total = 0.0
        for i in 0..<x.rows where responsibilities[i] > 0 {
            var s = 0.0
            for d in 0..<x.columns {
                let e = x[i, d] - mean[d]
                s += e * e
            }
            total += responsibilities[i] * s
        }
        return total
    }

    /// Q(μ, σ²) = Σᵢ cᵢ [−(D/2) log(2πσ²) − ‖xᵢ − μ‖² / (2σ²)].
    public func value(mean: [Double], variance: Double) -> Double {
        let dimension = Double(x.columns)
        let mass = responsibilities.reduce(0, +)
        return -0.5 * dimension * mass * log(2 * Double.pi * variance)
            - weightedSquaredDistance(to: mean) / (2 * variance)
    }

    /// (∂Q/∂μ, ∂Q/∂σ²) at (μ, σ²).
    public func gradient(mean: [Double], variance: Double) -> (mean: [Double], variance: Double) {
        var g = [Double](repeating: 0, count: x.columns)
        for i in 0..<x.rows where responsibilities[i] > 0 {
            for d in 0..<x.columns { g[d] += responsibilities[i] * (x[i, d] - mean[d]) }
        }
        let mass = responsibilities.reduce(0, +)
        let dimension = Double(x.columns)
        let dVariance = -dimension * mass / (2 * variance)
            + weightedSquaredDistance(to: mean) / (2 * variance * variance)
        return (g.map { $0 / variance }, dVariance)
    }

    /// The closed-form M-step μ* = Σᵢ cᵢ xᵢ / Σᵢ cᵢ, σ²* = Σᵢ cᵢ ‖xᵢ − μ*‖² / (D Σᵢ cᵢ).
    public var maximizer: (mean: [Double], variance: Double) {
        let mass = responsibilities.reduce(0, +)
        var mean = [Double](repeating: 0, count: x.columns)
        for i in 0..<x.rows where responsibilities[i] > 0 {
            for d in 0..<x.columns { mean[d] += responsibilities[i] * x[i, d] }
        }
        mean = mean.map { $0 / mass }
        return (mean, weightedSquaredDistance(to: mean) / (Double(x.columns) * mass))
    }
}
