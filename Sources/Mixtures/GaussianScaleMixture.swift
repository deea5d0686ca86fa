import Foundation
import LinearAlgebra
import Randomness

/// A Gaussian scale mixture p(x) = Σₖ πₖ N(x; 0, rₖ² Σ): K zero-mean Gaussians that share
/// one covariance Σ up to a scale rₖ² each (the heavy-tailed patch model of the course
/// report, theory 1.2).
///
/// The model has mean zero: fit it to data whose mean has been removed (for image patches,
/// subtract each patch's mean, its DC component) or whose mean is zero by assumption; a
/// non-zero data mean is absorbed into Σ as if it were spread.
///
/// Scale is not identifiable ((rₖ², Σ) and (rₖ²/a, aΣ) give the same density), so every
/// M-step normalises Σₖ πₖ rₖ² = 1, which makes Σ the covariance of x itself:
/// Cov(x) = Σₖ πₖ rₖ² Σ = Σ.
///
/// On data with an atom (many identical samples) the likelihood has no maximum: a scale
/// collapses onto the atom. The scale floor (`EMOptions.scaleFloor`, on by default) keeps
/// every scale at least ρ times the largest (see `ScaleUpdate`).
///
/// Mathematical properties (tested in `LogDensityLaws`, `LowerBoundNeverDecreases`,
/// `MStepMatchesNaiveFormulas`, `MStepInvariants`, `SamplingMoments`, `GSMScaleFloor`):
/// - the log density is log Σₖ πₖ N(x; 0, rₖ² Σ) computed naively;
/// - EM never decreases the mean log-likelihood, with or without the scale floor;
/// - one EM iteration equals the ECM formulas below computed naively, floored or not;
/// - after every M-step minₖ rₖ² ≥ ρ maxₖ rₖ², and data with an atom fit to convergence;
/// - after an M-step Σₖ πₖ rₖ² = 1;
/// - samples have covariance Σₖ πₖ rₖ² Σ.
public struct GaussianScaleMixture: MixtureModel, Equatable {
    /// π (K), on the simplex.
    public let weights: [Double]
    /// rₖ² (K), positive.
    public let scales: [Double]
    /// Σ (d x d), symmetric positive definite.
    public let covariance: Matrix

    /// U = L⁻ᵀ with Σ = L Lᵀ, so Σ⁻¹ = U Uᵀ and xᵀ Σ⁻¹ x = ‖xᵀ U‖².
    let precisionCholesky: Matrix
    /// log πₖ − (d/2) log(2π rₖ²) + log|U|.
    let logNormalizers: [Double]

    public var dimension: Int { covariance.rows }
    public var componentCount: Int { weights.count }

    /// (K − 1) weights, K scales and d(d+1)/2 covariance entries, less the one
    /// unidentifiable joint scale: 2K − 2 + d(d+1)/2.
    public var freeParameterCount: Int { 2 * componentCount - 2 + dimension * (dimension + 1) / 2 }

    /// A scale mixture with these parameters. Throws `invalidParameters` for weights off
    /// the simplex, non-positive scales, non-finite or non-symmetric Σ, mismatched counts;
    /// `singularCovariance` when Σ is not positive definite.
    public init(weights: [Double], scales: [Double], covariance: Matrix) throws {
        let k = weights.count, d = covariance.rows
        func invalid(_ what: String) -> MixtureError { .invalidParameters(what) }
        guard k >= 1, scales.count == k else { throw invalid("\(k) weights and \(scales.count) scales") }
        guard covariance.isSquare, d >= 1 else {
            throw invalid("the covariance is \(covariance.rows)x\(covariance.columns), not square")
        }
        guard weights.allSatisfy({ $0.isFinite && $0 >= 0 }) else { throw invalid("the weights \(weights) must be non-negative") }
        let total = weights.reduce(0, +)
        guard abs(total - 1) <= 1e-9 else { throw invalid("the weights sum to \(total), not 1") }
        guard scales.allSatisfy({ $0.isFinite && $0 > 0 }) else { throw invalid("the scales \(scales) must be positive") }
        guard covariance.storage.allSatisfy(\.isFinite) else { throw invalid("the covariance has a non-finite entry") }
        let tolerance = 1e-10 * max(covariance.maxAbs, Double.leastNormalMagnitude)
        for i in 0..<d {
            for j in 0..<i where abs(covariance[i, j] - covariance[j, i]) > tolerance {
                throw invalid("the covariance is not symmetric at (\(i), \(j))")
            }
        }
        guard let factor = covarianceCholesky(covariance) else {
            throw MixtureError.singularCovariance(component: 0, iteration: nil, regularization: nil)
        }
        self.weights = weights
        self.scales = scales
        self.covariance = covariance
        precisionCholesky = factor.inverseTransposed()
        let logDetU = -0.5 * factor.logDeterminant
        logNormalizers = (0..<k).map {
            log(weights[$0]) - 0.5 * Double(d) * log(2 * Double.pi * scales[$0]) + logDetU
        }
    }

    /// mᵢ = xᵢᵀ Σ⁻¹ xᵢ for every row (the quantity the scale update weighs).
    public func mahalanobisForms(_ x: Matrix) throws -> [Double] {
        guard x.columns == dimension else {
            throw MixtureError.dimensionMismatch(expected: dimension, found: x.columns, context: "the samples")
        }
        let y = try x.multiplied(by: precisionCholesky)
        return (0..<x.rows).map { i in y.row(i).reduce(0) { $0 + $1 * $1 } }
    }

    public func checkInvariants() throws {
        func fail(_ what: String) -> MixtureError { .invariantViolated(what) }
        let total = weights.reduce(0, +)
        guard abs(total - 1) <= 1e-9, weights.allSatisfy({ $0 >= 0 && $0.isFinite }) else {
            throw fail("the weights \(weights) are not on the simplex")
        }
        guard scales.allSatisfy({ $0 > 0 && $0.isFinite }) else { throw fail("a scale is not positive: \(scales)") }
        for i in 0..<dimension {
            for j in 0..<i where covariance[i, j] != covariance[j, i] {
                throw fail("the covariance is not symmetric at (\(i), \(j))")
            }
        }
        guard precisionCholesky.diagonalEntries.allSatisfy({ $0 > 0 && $0.isFinite }) else {
            throw fail("the precision Cholesky factor has a non-positive diagonal")
        }
    }

    /// x = rₖ L z with k drawn from π, Σ = L Lᵀ, z ~ N(0, I).
    public func sample(count: Int, using generator: inout SeededGenerator) -> Matrix {
        let d = dimension
        let l = try! covariance.cholesky().lower  // positive definite, checked by the initialiser
        var out = Matrix(rows: count, columns: d)
        for i in 0..<count {
            let r = scales[drawComponent(weights: weights, using: &generator)].squareRoot()
            let z = generator.gaussians(count: d)
            for a in 0..<d {
                var s = 0.0
                for j in 0...a { s += l[a, j] * z[j] }
                out[i, a] = r * s
            }
        }
        return out
    }

    public static func == (a: GaussianScaleMixture, b: GaussianScaleMixture) -> Bool {
        a.weights == b.weights && a.scales == b.scales && a.covariance == b.covariance
    }
}
