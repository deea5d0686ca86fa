import Foundation
import Testing
import PropertyBased
import LinearAlgebra
import Mixtures
import Randomness
import Restoration
import TestSupport

/// Denoising (W = I, noise σ²I) under the single-Gaussian and scale-mixture priors.
///
/// - MVN: the posterior mean is the Wiener filter μ + Σ (Σ + σ²I)⁻¹ (y − μ).
/// - GSM: each scale k is a zero-mean Gaussian rₖ²Σ, so the posterior mean is the mixture of
///   per-scale Wiener filters Σₖ wₖ(y) rₖ²Σ (rₖ²Σ + σ²I)⁻¹ y, with
///   wₖ(y) ∝ πₖ N(y; 0, rₖ²Σ + σ²I).
/// Both are computed here directly, with explicit inverses, and compared with the batched
/// restoration of `GMMPatchPosterior` on the mixture form of each prior.
@Suite struct WienerFilters {
    @Test func mvnPosteriorMeanIsTheWienerFilter() async {
        await propertyCheck(count: 25, input: Gen.int(in: 1...8), Gen.uint64()) { d, seed in
            var g = SeededGenerator(seed: seed)
            let mean = RandomMatrices.vector(d, using: &g)
            let sigma = RandomMatrices.spd(d, using: &g)
            let noise = 0.2 + g.nextUniform()
            let prior = PatchPrior.mvn(try MultivariateNormal(mean: mean, covariance: sigma))
            let posterior = try GMMPatchPosterior(prior: prior.asGaussianMixture(), observation: .identity(d), noiseSigma: noise)
            let y = RandomMatrices.gaussian(rows: 6, columns: d, scale: 2, using: &g)
            let restored = try posterior.estimate(y, estimator: .mmse)
            var s = sigma
            s.addToDiagonal(noise * noise)
            let gain = try sigma.multiplied(by: s.spdInverse())
            for i in 0..<y.rows {
                let shift = try gain.multiplied(byVector: zip(y.row(i), mean).map { $0 - $1 })
                #expect(Tolerance.relativeError(restored.row(i), zip(mean, shift).map { $0 + $1 }) < 1e-9)
            }
        }
    }

    @Test func gsmPosteriorMeanIsAMixtureOfWienerFilters() async {
        await propertyCheck(count: 25, input: Gen.int(in: 1...6), Gen.int(in: 1...4), Gen.uint64()) { d, k, seed in
            var g = SeededGenerator(seed: seed)
            var weights = (0..<k).map { _ in 0.2 + g.nextUniform() }
            weights = weights.map { $0 / weights.reduce(0, +) }
            let scales = (0..<k).map { _ in 0.1 + 3 * g.nextUniform() }
            let sigma = RandomMatrices.spd(d, using: &g)
            let noise = 0.3 + g.nextUniform()
            let gsm = try GaussianScaleMixture(weights: weights, scales: scales, covariance: sigma)
            let posterior = try GMMPatchPosterior(prior: PatchPrior.gsm(gsm).asGaussianMixture(), observation: .identity(d), noiseSigma: noise)
            let y = RandomMatrices.gaussian(rows: 5, columns: d, scale: 2, using: &g)
            let restored = try posterior.estimate(y, estimator: .mmse)
            for i in 0..<y.rows {
                let yi = y.row(i)
                var logs: [Double] = [], filtered: [[Double]] = []
                for c in 0..<k {
                    let prior = gsm.covariance.scaled(by: gsm.scales[c])
                    var s = prior
                    s.addToDiagonal(noise * noise)
                    let inverse = try s.spdInverse()
                    let quadratic = zip(yi, try inverse.multiplied(byVector: yi)).reduce(0) { $0 + $1.0 * $1.1 }
                    logs.append(log(gsm.weights[c]) - 0.5 * (Double(d) * log(2 * .pi) + (try s.logDeterminantSPD()) + quadratic))
                    filtered.append(try prior.multiplied(by: inverse).multiplied(byVector: yi))
                }
                let top = logs.max()!
                let w = logs.map { exp($0 - top) }
                let total = w.reduce(0, +)
                let expected = (0..<d).map { j in (0..<k).reduce(0.0) { $0 + w[$1] / total * filtered[$1][j] } }
                #expect(Tolerance.relativeError(restored.row(i), expected) < 1e-9)
            }
        }
    }
}
