import Foundation
import LinearAlgebra
import Randomness

/// A Gaussian mixture with known parameters, and samples drawn from it, written here
/// independently of the Mixtures module so that tests compare the engine with a separate
/// implementation.
public struct KnownMixture: Sendable {
    public let weights: [Double]
    public let means: [[Double]]
    public let covariances: [Matrix]

    public var dimension: Int { means[0].count }
    public var components: Int { weights.count }

    public init(weights: [Double], means: [[Double]], covariances: [Matrix]) {
        self.weights = weights
        self.means = means
        self.covariances = covariances
    }

    /// K components in dimension d: weights uniform in [1, 2] normalised; means
    /// `separation` x N(0, I); covariances A Aᵀ/d + 0.3 I (eigenvalues in about [0.3, 4.3]).
    public static func random(
        components k: Int, dimension d: Int, separation: Double, using g: inout SeededGenerator
    ) -> KnownMixture {
        let raw = (0..<k).map { _ in 1 + g.nextUniform() }
        let total = raw.reduce(0, +)
        return KnownMixture(
            weights: raw.map { $0 / total },
            means: (0..<k).map { _ in g.gaussians(count: d, standardDeviation: separation) },
            covariances: (0..<k).map { _ in RandomMatrices.spd(d, ridge: 0.3, using: &g) })
    }

    /// `count` samples (one a row) and the component each came from: component k with
    /// probability πₖ, then μₖ + Lₖ z with Σₖ = Lₖ Lₖᵀ, z ~ N(0, I).
    public func sample(count: Int, using g: inout SeededGenerator) -> (samples: Matrix, labels: [Int]) {
        let d = dimension
        let factors = covariances.map { try! $0.cholesky().lower }
        var x = Matrix(rows: count, columns: d)
        var labels: [Int] = []
        for i in 0..<count {
            let u = g.nextUniform()
            var k = 0, cumulative = weights[0]
            while u >= cumulative && k < components - 1 {
                k += 1
                cumulative += weights[k]
            }
            labels.append(k)
            let z = g.gaussians(count: d)
            for r in 0..<d {
                var s = means[k][r]
                for j in 0...r { s += factors[k][r, j] * z[j] }
                x[i, r] = s
            }
        }
        return (x, labels)
    }

    /// Samples in which every component has at least `minimum` rows (drawn again, with the
    /// next numbers of `g`, until it does).
    public func sampleCovering(count: Int, minimum: Int, using g: inout SeededGenerator) -> (samples: Matrix, labels: [Int]) {
        while true {
            let drawn = sample(count: count, using: &g)
            let counts = (0..<components).map { k in drawn.labels.filter { $0 == k }.count }
            if counts.allSatisfy({ $0 >= minimum }) { return drawn }
        }
    }
}

/// Naive per-sample log densities, one sample and one component at a time, through the
/// inverse and the log-determinant of each covariance.
public enum NaiveDensity {
    /// log N(x; μ, Σ) = −(d/2) log 2π − ½ log|Σ| − ½ (x − μ)ᵀ Σ⁻¹ (x − μ).
    public static func logGaussian(_ x: [Double], mean: [Double], covariance: Matrix) -> Double {
        let d = x.count
        let inverse = try! covariance.spdInverse()
        let logDet = try! covariance.logDeterminantSPD()
        var q = 0.0
        for i in 0..<d {
            for j in 0..<d { q += (x[i] - mean[i]) * inverse[i, j] * (x[j] - mean[j]) }
        }
        return -0.5 * Double(d) * log(2 * Double.pi) - 0.5 * logDet - 0.5 * q
    }

    /// log Σₖ πₖ N(x; μₖ, Σₖ), summing the densities after factoring out the largest term.
    public static func logMixture(_ x: [Double], weights: [Double], means: [[Double]], covariances: [Matrix]) -> Double {
        let terms = weights.indices.map { log(weights[$0]) + logGaussian(x, mean: means[$0], covariance: covariances[$0]) }
        let m = terms.max()!
        return m + log(terms.reduce(0) { $0 + exp($1 - m) })
    }
}
