import Foundation
import Testing
import PropertyBased
import LinearAlgebra
import Mixtures
import Randomness
import Restoration
import TestSupport

/// A random full-covariance mixture of dimension d with K components.
func randomMixture(components k: Int, dimension d: Int, using g: inout SeededGenerator) throws -> GaussianMixture {
    var weights = (0..<k).map { _ in 0.2 + g.nextUniform() }
    let total = weights.reduce(0, +)
    weights = weights.map { $0 / total }
    let means = RandomMatrices.gaussian(rows: k, columns: d, scale: 2, using: &g)
    let covariances = (0..<k).map { _ in RandomMatrices.spd(d, ridge: 0.2, using: &g) }
    return try GaussianMixture(weights: weights, means: means, covariances: .full(covariances))
}

/// log N(x; m, S) computed directly from the Cholesky factor, one sample at a time.
func naiveLogDensity(_ x: [Double], mean m: [Double], covariance s: Matrix) throws -> Double {
    let factor = try s.cholesky()
    let r = zip(x, m).map { $0 - $1 }
    let quadratic = zip(r, try factor.solve(vector: r)).reduce(0) { $0 + $1.0 * $1.1 }
    return -0.5 * (Double(x.count) * log(2 * .pi) + factor.logDeterminant + quadratic)
}

@Suite struct GMMPosteriorIsAMixture {
    @Test func componentPosteriorsAreTheSingleGaussianOnes() async {
        await propertyCheck(count: 25, input: Gen.int(in: 1...4), Gen.int(in: 1...6), Gen.int(in: 1...6), Gen.uint64()) { k, d, p, seed in
            var g = SeededGenerator(seed: seed)
            let prior = try randomMixture(components: k, dimension: d, using: &g)
            let w = RandomMatrices.gaussian(rows: p, columns: d, using: &g)
            let sigma = 0.3 + g.nextUniform()
            let posterior = try GMMPatchPosterior(prior: prior, observation: w, noiseSigma: sigma)
            let y = RandomMatrices.vector(p, scale: 2, using: &g)
            let ym = try Matrix(rows: 1, columns: p, storage: y)
            for c in 0..<k {
                let single = try LinearGaussianModel(
                    prior: Gaussian(mean: prior.means.row(c), covariance: prior.covariance(c)),
                    operatorMatrix: w, noiseCovariance: Matrix.identity(p).scaled(by: sigma * sigma))
                let expected = try single.posteriorByInformationForm(observed: y)
                let mean = try posterior.componentMeans(ym, component: c).row(0)
                #expect(Tolerance.relativeError(mean, expected.mean) < 1e-9)
                #expect(Tolerance.relativeError(posterior.posteriorCovariances[c], expected.covariance) < 1e-9)
            }
        }
    }

    @Test func weightsSumToOneAndAreTheNormalisedEvidence() async {
        await propertyCheck(count: 25, input: Gen.int(in: 1...5), Gen.int(in: 1...6), Gen.int(in: 1...6), Gen.uint64()) { k, d, p, seed in
            var g = SeededGenerator(seed: seed)
            let prior = try randomMixture(components: k, dimension: d, using: &g)
            let w = RandomMatrices.gaussian(rows: p, columns: d, using: &g)
            let sigma = 0.3 + g.nextUniform()
            let posterior = try GMMPatchPosterior(prior: prior, observation: w, noiseSigma: sigma)
            let y = RandomMatrices.gaussian(rows: 7, columns: p, scale: 2, using: &g)
            let weights = try posterior.posteriorWeights(y)
            for i in 0..<y.rows {
                // wₖ ∝ πₖ N(y; Wμₖ, σ²I + WΣₖWᵀ), straight from the definition.
                let logs = try (0..<k).map { c -> Double in
                    var s = try w.multiplied(by: prior.covariance(c)).multiplied(by: w, transposeOther: true)
                    s.addToDiagonal(sigma * sigma)
                    return log(prior.weights[c]) + (try naiveLogDensity(y.row(i), mean: w.multiplied(byVector: prior.means.row(c)), covariance: s))
                }
                let top = logs.max()!
                let normaliser = logs.reduce(0) { $0 + exp($1 - top) }
                let expected = logs.map { exp($0 - top) / normaliser }
                #expect(Tolerance.relativeError(weights.row(i), expected) < 1e-9)
                #expect(abs(weights.row(i).reduce(0, +) - 1) < 1e-12)
            }
        }
    }

    /// 1-D: p(z | y) ∝ Σₖ πₖ N(z; μₖ, s²ₖ) N(y; a z, σ²) integrated numerically on a grid.
    @Test func matchesBruteForceIntegrationIn1D() throws {
        let prior = try GaussianMixture(
            weights: [0.5, 0.3, 0.2], means: Matrix(rowArrays: [[-2.0], [0.5], [3.0]]),
            covariances: .full([Matrix(rowArrays: [[0.5]]), Matrix(rowArrays: [[0.2]]), Matrix(rowArrays: [[1.5]])]))
        let a = 0.8, sigma = 0.7, y = 1.1
        let posterior = try GMMPatchPosterior(prior: prior, observation: Matrix(rowArrays: [[a]]), noiseSigma: sigma)
        let weights = try posterior.posteriorWeights(Matrix(rowArrays: [[y]])).row(0)
        func normal(_ x: Double, _ m: Double, _ v: Double) -> Double { exp(-(x - m) * (x - m) / (2 * v)) / (2 * .pi * v).squareRoot() }
        let h = 1e-3
        let grid = stride(from: -15.0, through: 15.0, by: h).map { $0 }
        let joint = (0..<3).map { c in
            grid.map { z in prior.weights[c] * normal(z, prior.means[c, 0], prior.covariance(c)[0, 0]) * normal(y, a * z, sigma * sigma) }
        }
        let perComponent = joint.map { $0.reduce(0, +) * h }
        let total = perComponent.reduce(0, +)
        for c in 0..<3 { #expect(abs(weights[c] - perComponent[c] / total) < 1e-8) }
        // The posterior density Σₖ wₖ N(z; mₖ, Pₖ) against the normalised product, pointwise.
        let means = try (0..<3).map { try posterior.componentMeans(Matrix(rowArrays: [[y]]), component: $0)[0, 0] }
        var worst = 0.0
        for (index, z) in grid.enumerated() where index % 100 == 0 {
            let exact = (0..<3).reduce(0.0) { $0 + weights[$1] * normal(z, means[$1], posterior.posteriorCovariances[$1][0, 0]) }
            let brute = (0..<3).reduce(0.0) { $0 + joint[$1][index] } / total
            worst = max(worst, abs(exact - brute))
        }
        #expect(worst < 1e-8)
    }

    /// 2-D clean patches, 1-D observation: weights against a grid integral over the plane.
    @Test func matchesBruteForceIntegrationIn2D() throws {
        var g = SeededGenerator(seed: 99)
        let prior = try randomMixture(components: 3, dimension: 2, using: &g)
        let w = try Matrix(rowArrays: [[0.6, -0.4]])
        let sigma = 0.5, y = 0.3
        let posterior = try GMMPatchPosterior(prior: prior, observation: w, noiseSigma: sigma)
        let weights = try posterior.posteriorWeights(Matrix(rowArrays: [[y]])).row(0)
        // The 2x2 prior densities in closed form: N(z; μ, Σ) = exp(−½ rᵀΣ⁻¹r) / (2π √|Σ|).
        let closedForms = (0..<3).map { c -> (inverse: [Double], normaliser: Double, mean: [Double]) in
            let s = prior.covariance(c)
            let det = s[0, 0] * s[1, 1] - s[0, 1] * s[1, 0]
            return ([s[1, 1] / det, -s[0, 1] / det, s[0, 0] / det], 1 / (2 * .pi * det.squareRoot()), prior.means.row(c))
        }
        let h = 0.02
        var perComponent = [0.0, 0.0, 0.0]
        for z0 in stride(from: -12.0, through: 12.0, by: h) {
            for z1 in stride(from: -12.0, through: 12.0, by: h) {
                let residual = y - (0.6 * z0 - 0.4 * z1)
                let likelihood = exp(-residual * residual / (2 * sigma * sigma))
                for c in 0..<3 {
                    let f = closedForms[c]
                    let r0 = z0 - f.mean[0], r1 = z1 - f.mean[1]
                    let quadratic = f.inverse[0] * r0 * r0 + 2 * f.inverse[1] * r0 * r1 + f.inverse[2] * r1 * r1
                    perComponent[c] += prior.weights[c] * f.normaliser * exp(-0.5 * quadratic) * likelihood
                }
            }
        }
        let total = perComponent.reduce(0, +)
        for c in 0..<3 { #expect(abs(weights[c] - perComponent[c] / total) < 1e-6) }
    }
}

@Suite struct BatchedEstimatorsMatchPerPatchComputation {
    @Test func mmseAndMapAgreeWithAStraightforwardLoop() async {
        await propertyCheck(count: 20, input: Gen.int(in: 1...4), Gen.int(in: 1...5), Gen.uint64()) { k, d, seed in
            var g = SeededGenerator(seed: seed)
            let prior = try randomMixture(components: k, dimension: d, using: &g)
            let w = RandomMatrices.gaussian(rows: d, columns: d, using: &g)
            let sigma = 0.5
            let posterior = try GMMPatchPosterior(prior: prior, observation: w, noiseSigma: sigma)
            let y = RandomMatrices.gaussian(rows: 9, columns: d, scale: 2, using: &g)
            // Small blocks, so the block loop is exercised too.
            let mmse = try posterior.estimate(y, estimator: .mmse, blockRows: 4)
            let map = try posterior.estimate(y, estimator: .map, blockRows: 4)
            for i in 0..<y.rows {
                var logs: [Double] = [], means: [[Double]] = []
                for c in 0..<k {
                    let single = try LinearGaussianModel(
                        prior: Gaussian(mean: prior.means.row(c), covariance: prior.covariance(c)),
                        operatorMatrix: w, noiseCovariance: Matrix.identity(d).scaled(by: sigma * sigma))
                    let evidence = try single.evidence()
                    logs.append(log(prior.weights[c]) + (try naiveLogDensity(y.row(i), mean: evidence.mean, covariance: evidence.covariance)))
                    means.append(try single.posteriorByBlockConditioning(observed: y.row(i)).mean)
                }
                let top = logs.max()!
                let weights = logs.map { exp($0 - top) }
                let total = weights.reduce(0, +)
                let expectedMMSE = (0..<d).map { j in (0..<k).reduce(0.0) { $0 + weights[$1] / total * means[$1][j] } }
                let best = logs.indices.max { logs[$0] < logs[$1] }!
                #expect(Tolerance.relativeError(mmse.row(i), expectedMMSE) < 1e-8)
                #expect(Tolerance.relativeError(map.row(i), means[best]) < 1e-8)
            }
        }
    }

    @Test func seedRuleIgnoresTheObservation() throws {
        var g = SeededGenerator(seed: 4)
        let prior = try randomMixture(components: 4, dimension: 3, using: &g)
        let posterior = try GMMPatchPosterior(prior: prior, observation: .identity(3), noiseSigma: 1)
        // The score is log πₖ − ½ log|2π(Pₖ + εI)|: check it directly, and that it picks its argmax.
        let scores = try posterior.seedMAPScores()
        for c in 0..<4 {
            var covariance = posterior.posteriorCovariances[c]
            covariance.addToDiagonal(GMMPatchPosterior.seedEpsilon)
            let expected = try log(prior.weights[c]) + naiveLogDensity([0, 0, 0], mean: [0, 0, 0], covariance: covariance)
            #expect(abs(scores[c] - expected) < 1e-12 * max(1, abs(expected)))
        }
        #expect(try posterior.seedMAPComponent() == scores.indices.max { scores[$0] < scores[$1] }!)
    }

    /// The seed rule's estimate, computed independently with explicit inverses: the component
    /// k* maximising log πₖ − ½ log|2π (Pₖ + εI)|, Pₖ = (Σₖ⁻¹ + WᵀW/σ²)⁻¹, and for every y
    ///
    ///     m̃ = clip((P_{k*} + εI)(Wᵀy/σ² + Σ_{k*}⁻¹μ_{k*})),
    ///
    /// clip setting values above 255 to 255 and below 1 to 0. The observations are wide
    /// (128 ± 150) and three are aimed along the direction that moves coordinate 0 of the
    /// unclipped estimate, to 400, −150 and 128, so that the upper clip, the lower clip and
    /// the unclipped formula are all exercised in every case. σ ≤ 0.7 keeps 1/σ² away from 1.
    @Test func seedMAPEstimateIsTheClippedRegularisedMean() async {
        await propertyCheck(count: 30, input: Gen.int(in: 1...4), Gen.int(in: 1...5), Gen.int(in: 1...6), Gen.uint64()) { k, d, p, seed in
            var g = SeededGenerator(seed: seed)
            let prior = try randomMixture(components: k, dimension: d, using: &g)
            let w = RandomMatrices.gaussian(rows: p, columns: d, using: &g)
            let sigma = 0.3 + 0.4 * g.nextUniform()
            let variance = sigma * sigma, epsilon = GMMPatchPosterior.seedEpsilon
            let posterior = try GMMPatchPosterior(prior: prior, observation: w, noiseSigma: sigma)

            typealias Naive = NaiveLinearAlgebra
            let wRows = Naive.rows(w), wT = Naive.transposed(wRows)
            let gram = Naive.product(wT, wRows)
            func regularisedPosteriorCovariance(_ c: Int) -> (covariance: [[Double]], priorPrecision: [[Double]]) {
                let priorPrecision = Naive.inverse(Naive.rows(prior.covariance(c)))
                let precision = (0..<d).map { i in (0..<d).map { j in priorPrecision[i][j] + gram[i][j] / variance } }
                var covariance = Naive.inverse(precision)
                for i in 0..<d { covariance[i][i] += epsilon }
                return (covariance, priorPrecision)
            }
            let scores = (0..<k).map { c in
                log(prior.weights[c]) - 0.5 * (Double(d) * log(2 * .pi) + Naive.logAbsDeterminant(regularisedPosteriorCovariance(c).covariance))
            }
            let best = scores.indices.max { scores[$0] < scores[$1] }!
            let (covariance, priorPrecision) = regularisedPosteriorCovariance(best)
            // m̃ before clipping is A y + b, A = (P + εI)Wᵀ/σ², b = (P + εI)Σ⁻¹μ.
            let a = Naive.product(covariance, wT).map { $0.map { $0 / variance } }
            let b = Naive.product(covariance, Naive.product(priorPrecision, prior.means.row(best)))

            var observations = (0..<12).map { _ in RandomMatrices.vector(p, scale: 150, using: &g).map { $0 + 128 } }
            // y = t v with v = W (P + εI) e₀ moves coordinate 0 by t |v|²/σ².
            let direction = wRows.map { row in (0..<d).reduce(0.0) { $0 + row[$1] * covariance[$1][0] } }
            let slope = direction.reduce(0) { $0 + $1 * $1 } / variance
            let targets = [400.0, -150, 128]
            observations += targets.map { target in direction.map { $0 * (target - b[0]) / slope } }
            let y = try Matrix(rowArrays: observations)

            let estimates = try posterior.estimate(y, estimator: .seedMAP, blockRows: 4)
            for (i, observation) in observations.enumerated() {
                let unclipped = zip(Naive.product(a, observation), b).map { $0 + $1 }
                let expected = unclipped.map { $0 > 255 ? 255 : ($0 < 1 ? 0 : $0) }
                // Rounding relative to the largest term that enters the row.
                let scale = (0..<d).reduce(255.0) { worst, r in
                    max(worst, abs(b[r]) + zip(a[r], observation).reduce(0) { $0 + abs($1.0 * $1.1) })
                }
                let error = zip(estimates.row(i), expected).reduce(0) { max($0, abs($1.0 - $1.1)) }
                #expect(error < 1e-9 * scale)
            }
            let aimed = observations.count - targets.count
            #expect(estimates[aimed, 0] == 255 && estimates[aimed + 1, 0] == 0)
            #expect(abs(estimates[aimed + 2, 0] - 128) < 1e-6)
        }
    }

    @Test func badInputIsRefused() throws {
        var g = SeededGenerator(seed: 8)
        let prior = try randomMixture(components: 2, dimension: 4, using: &g)
        #expect(throws: RestorationError.self) { try GMMPatchPosterior(prior: prior, observation: .identity(4), noiseSigma: 0) }
        #expect(throws: RestorationError.self) { try GMMPatchPosterior(prior: prior, observation: .identity(3), noiseSigma: 1) }
        let posterior = try GMMPatchPosterior(prior: prior, observation: .identity(4), noiseSigma: 1)
        #expect(throws: RestorationError.self) { try posterior.estimate(Matrix(rows: 2, columns: 3), estimator: .mmse) }
        var nan = Matrix(rows: 2, columns: 4)
        nan[1, 2] = .nan
        #expect(throws: RestorationError.self) { try posterior.estimate(nan, estimator: .mmse) }
    }
}
