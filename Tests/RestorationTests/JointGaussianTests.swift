import Testing
import PropertyBased
import LinearAlgebra
import Randomness
import Restoration
import TestSupport

/// Random linear-Gaussian models: prior dimension d, observation dimension p, random SPD Σ
/// and Σ_y, random W and b.
private func randomModel(d: Int, p: Int, noiseScale: Double = 1, using g: inout SeededGenerator) throws -> LinearGaussianModel {
    let prior = try Gaussian(mean: RandomMatrices.vector(d, using: &g), covariance: RandomMatrices.spd(d, using: &g))
    return try LinearGaussianModel(
        prior: prior,
        operatorMatrix: RandomMatrices.gaussian(rows: p, columns: d, using: &g),
        offset: RandomMatrices.vector(p, using: &g),
        noiseCovariance: RandomMatrices.spd(p, scale: noiseScale, using: &g))
}

@Suite struct BlockConditioningEqualsInformationForm {
    @Test func bothPosteriorsAgree() async {
        await propertyCheck(count: 60, input: Gen.int(in: 1...12), Gen.int(in: 1...12), Gen.uint64()) { d, p, seed in
            var g = SeededGenerator(seed: seed)
            let model = try randomModel(d: d, p: p, using: &g)
            let y = RandomMatrices.vector(p, scale: 2, using: &g)
            let block = try model.posteriorByBlockConditioning(observed: y)
            let information = try model.posteriorByInformationForm(observed: y)
            // Both are backward-stable solves with condition numbers of about 40 (TestSupport.spd).
            let tolerance = Tolerance.forBackwardStable(order: d + p, condition: 1e3)
            #expect(Tolerance.relativeError(block.mean, information.mean) < tolerance)
            #expect(Tolerance.relativeError(block.covariance, information.covariance) < tolerance)
        }
    }

    /// The joint of (z, y = Wz + b + n): mean (μ, Wμ + b), covariance blocks Σ, ΣWᵀ, WΣ and
    /// Σ_y + WΣWᵀ, each entry summed here by explicit loops, for random d, p, SPD Σ, Σ_y.
    @Test func jointHasTheDerivedBlocks() async {
        await propertyCheck(count: 30, input: Gen.int(in: 1...7), Gen.int(in: 1...7), Gen.uint64()) { d, p, seed in
            var g = SeededGenerator(seed: seed)
            let model = try randomModel(d: d, p: p, using: &g)
            let joint = try model.joint()
            let w = model.operatorMatrix, sigma = model.prior.covariance, mu = model.prior.mean
            var expected = Matrix(rows: d + p, columns: d + p)
            for i in 0..<d { for j in 0..<d { expected[i, j] = sigma[i, j] } }
            for i in 0..<d {
                for r in 0..<p {
                    var cross = 0.0  // (Σ Wᵀ)[i, r] = Σ_j Σ[i, j] W[r, j]
                    for j in 0..<d { cross += sigma[i, j] * w[r, j] }
                    expected[i, d + r] = cross
                    expected[d + r, i] = cross
                }
            }
            for r in 0..<p {
                for t in 0..<p {
                    var value = model.noiseCovariance[r, t]
                    for i in 0..<d { for j in 0..<d { value += w[r, i] * sigma[i, j] * w[t, j] } }
                    expected[d + r, d + t] = value
                }
            }
            let expectedMean = mu + (0..<p).map { r in (0..<d).reduce(model.offset[r]) { $0 + w[r, $1] * mu[$1] } }
            let tolerance = Tolerance.forBackwardStable(order: d + p, condition: 1)
            #expect(Tolerance.relativeError(joint.covariance, expected) < tolerance)
            #expect(Tolerance.relativeError(joint.mean, expectedMean) < tolerance)
        }
    }
}

@Suite struct PosteriorLimits {
    @Test func vanishingNoiseWithIdentityReturnsTheObservation() async {
        await propertyCheck(count: 30, input: Gen.int(in: 1...10), Gen.uint64()) { d, seed in
            var g = SeededGenerator(seed: seed)
            let prior = try Gaussian(mean: RandomMatrices.vector(d, using: &g), covariance: RandomMatrices.spd(d, using: &g))
            let b = RandomMatrices.vector(d, using: &g)
            let model = try LinearGaussianModel(
                prior: prior, operatorMatrix: .identity(d), offset: b,
                noiseCovariance: Matrix.identity(d).scaled(by: 1e-10))
            let y = RandomMatrices.vector(d, scale: 3, using: &g)
            let posterior = try model.posteriorByInformationForm(observed: y)
            // Error is O(σ² ‖Σ⁻¹‖) ≈ 1e-10 × 10.
            #expect(Tolerance.relativeError(posterior.mean, zip(y, b).map { $0 - $1 }) < 1e-7)
            #expect(posterior.covariance.maxAbs < 1e-9)
        }
    }

    @Test func overwhelmingNoiseReturnsThePrior() async {
        await propertyCheck(count: 30, input: Gen.int(in: 1...10), Gen.int(in: 1...10), Gen.uint64()) { d, p, seed in
            var g = SeededGenerator(seed: seed)
            let base = try randomModel(d: d, p: p, using: &g)
            let model = try LinearGaussianModel(
                prior: base.prior, operatorMatrix: base.operatorMatrix, offset: base.offset,
                noiseCovariance: base.noiseCovariance.scaled(by: 1e12))
            let posterior = try model.posteriorByBlockConditioning(observed: RandomMatrices.vector(p, using: &g))
            #expect(Tolerance.relativeError(posterior.mean, model.prior.mean) < 1e-8)
            #expect(Tolerance.relativeError(posterior.covariance, model.prior.covariance) < 1e-8)
        }
    }
}

@Suite struct PosteriorMonteCarlo {
    /// Draw (z, y) from the model in 1-D observation space; keep the draws whose y lies
    /// within h of y₀; their z sample mean and variance approach the posterior's.
    @Test func acceptedDrawsHaveThePosteriorMoments() throws {
        var g = SeededGenerator(seed: 2026)
        let prior = try Gaussian(mean: [1.0, -0.5], covariance: Matrix(rowArrays: [[1.0, 0.6], [0.6, 2.0]]))
        let model = try LinearGaussianModel(
            prior: prior, operatorMatrix: Matrix(rowArrays: [[1.0, 0.5]]), offset: [0.2],
            noiseCovariance: Matrix(rowArrays: [[0.3]]))
        let y0 = 1.5
        let posterior = try model.posteriorByInformationForm(observed: [y0])
        let priorFactor = try prior.covariance.cholesky().lower
        var accepted: [[Double]] = []
        let h = 0.02
        while accepted.count < 20_000 {
            let e = [g.nextGaussian(), g.nextGaussian()]
            let z = [prior.mean[0] + priorFactor[0, 0] * e[0],
                     prior.mean[1] + priorFactor[1, 0] * e[0] + priorFactor[1, 1] * e[1]]
            let y = z[0] + 0.5 * z[1] + 0.2 + 0.3.squareRoot() * g.nextGaussian()
            if abs(y - y0) < h { accepted.append(z) }
        }
        let n = Double(accepted.count)
        let mean = [accepted.map { $0[0] }.reduce(0, +) / n, accepted.map { $0[1] }.reduce(0, +) / n]
        let var0 = accepted.map { ($0[0] - mean[0]) * ($0[0] - mean[0]) }.reduce(0, +) / (n - 1)
        let cov01 = accepted.map { ($0[0] - mean[0]) * ($0[1] - mean[1]) }.reduce(0, +) / (n - 1)
        // Standard error of a mean is sqrt(var/n) ≈ sqrt(1.4/2e4) ≈ 8e-3; allow 5 of them,
        // plus the O(h²) bias of the window. Variances: relative standard error sqrt(2/n) ≈ 1%.
        #expect(abs(mean[0] - posterior.mean[0]) < 0.05)
        #expect(abs(mean[1] - posterior.mean[1]) < 0.05)
        #expect(abs(var0 - posterior.covariance[0, 0]) < 0.06 * posterior.covariance[0, 0])
        #expect(abs(cov01 - posterior.covariance[0, 1]) < 0.06 * max(abs(posterior.covariance[0, 1]), 0.2))
    }
}
