import Foundation
import LinearAlgebra
import Mixtures
import PropertyBased
import Randomness
import TestSupport
import Testing

/// Restarts, progress, determinism and empty components.
@Suite struct FitBehaviour {
    @Test func restartsKeepTheBestAndProgressReportsEveryIteration() async {
        await propertyCheck(count: 15, input: Gen.int(in: 1...4), Gen.int(in: 1...3), Gen.uint64()) { k, restarts, seed in
            var g = SeededGenerator(seed: seed)
            let x = Fixtures.data(samples: 80, components: 3, dimension: 2, using: &g)
            var reports: [FitProgress] = []
            let options = EMOptions(maxIterations: 5, tolerance: 0, restarts: restarts, seed: seed)
            let result = try GaussianMixture.fit(x, components: k, options: options) { reports.append($0) }
            #expect(result.restartMeanLogLikelihoods.count == restarts)
            #expect(result.restartMeanLogLikelihoods.max() == result.finalMeanLogLikelihood)
            #expect(result.restartMeanLogLikelihoods[result.bestRestart] == result.finalMeanLogLikelihood)
            #expect(reports.count == restarts * 6)
            let best = reports.filter { $0.restart == result.bestRestart }
            #expect(best.map(\.iteration) == Array(0...5))
            #expect(best.map(\.meanLogLikelihood) == result.meanLogLikelihoods)
            #expect(best[0].change == nil)
            for t in 1..<best.count { #expect(best[t].change == best[t].meanLogLikelihood - best[t - 1].meanLogLikelihood) }
            #expect(best[3].description.contains("iter 3  mean log-lik"))
            // The final log-likelihood is that of the returned model.
            #expect(abs(try result.model.meanLogLikelihood(x) - result.finalMeanLogLikelihood) < 1e-12 * max(1, abs(result.finalMeanLogLikelihood)))
            // The same seed gives the same fit.
            let again = try GaussianMixture.fit(x, components: k, options: options)
            #expect(again.model == result.model)
        }
    }

    /// The pass cuts every block into the same parts on any number of threads, so the fit
    /// is the same bit for bit (the models are compared with ==, the traces exactly).
    @Test func threadCountChangesNothing() async {
        await propertyCheck(count: 10, input: Gen<CovarianceType>.case, Gen.int(in: 1...4), Gen.int(in: 2...9), Gen.uint64()) { type, k, threads, seed in
            var g = SeededGenerator(seed: seed)
            let x = Fixtures.data(samples: 600, components: 3, dimension: 3, using: &g)
            var options = EMOptions(maxIterations: 6, tolerance: 0, seed: seed, blockRows: 64 + g.nextInt(below: 200))
            options.threads = 1
            let serial = try GaussianMixture.fit(x, components: k, covariance: type, options: options)
            let serialScales = try GaussianScaleMixture.fit(x, components: k, options: options)
            options.threads = threads
            let parallel = try GaussianMixture.fit(x, components: k, covariance: type, options: options)
            let parallelScales = try GaussianScaleMixture.fit(x, components: k, options: options)
            #expect(parallel.meanLogLikelihoods == serial.meanLogLikelihoods)
            #expect(parallel.model == serial.model)
            #expect(parallelScales.model == serialScales.model)
        }
    }

    @Test func convergenceIsAFlagNotAnError() throws {
        var g = SeededGenerator(seed: 2)
        let x = Fixtures.data(samples: 300, components: 4, dimension: 3, using: &g)
        let short = try GaussianMixture.fit(x, components: 4, options: EMOptions(maxIterations: 2, tolerance: 1e-12))
        #expect(!short.converged && short.iterations == 2)
        let long = try GaussianMixture.fit(x, components: 4, options: EMOptions(maxIterations: 500, tolerance: 1e-6))
        #expect(long.converged && long.iterations < 500)
        let values = long.meanLogLikelihoods
        #expect(abs(values[values.count - 1] - values[values.count - 2]) < 1e-6)
        #expect(abs(values[values.count - 2] - values[values.count - 3]) >= 1e-6)
    }

    @Test func emptyComponentIsReseededNotNaN() async {
        await propertyCheck(count: 15, input: Gen<CovarianceType>.case, Gen.int(in: 2...4), Gen.int(in: 1...4), Gen.uint64()) { type, k, d, seed in
            var g = SeededGenerator(seed: seed)
            let x = Fixtures.data(samples: 60, components: 2, dimension: d, using: &g)
            // Component 0 sits a million units away: no sample gives it any responsibility.
            let random = try Fixtures.mixture(type, components: k, dimension: d, using: &g)
            var means = x.rows(g.sampleIndices(k, from: x.rows))
            for j in 0..<d { means[0, j] = 1e6 }
            let start = try GaussianMixture(weights: random.weights, means: means, covariances: random.covariances)
            let result = try GaussianMixture.fit(
                x, components: k, covariance: type, initialization: .parameters(start),
                options: EMOptions(maxIterations: 3, tolerance: 0))
            guard case .componentReseeded(1, 0, let total) = result.events.first else {
                Issue.record("expected component 0 re-seeded in iteration 1, got \(result.events)")
                return
            }
            #expect(total < 1e-10 * 60)
            #expect(result.events.first!.description.contains("re-seeded"))
            try result.model.checkInvariants()
            #expect(result.meanLogLikelihoods.allSatisfy { $0.isFinite })
            // It was re-seeded at the worst-explained sample.
            let worst = try start.logLikelihood(x).enumerated().min { $0.element < $1.element }!.offset
            let oneStep = try GaussianMixture.fit(
                x, components: k, covariance: type, initialization: .parameters(start),
                options: EMOptions(maxIterations: 1, tolerance: 0))
            #expect(oneStep.model.means.row(0) == x.row(worst))
        }
    }

    @Test func emptyKMeansClusterIsReseededAtInitialisation() throws {
        // Two distinct points and K = 3: k-means++ must repeat a seed, leaving a cluster empty.
        let x = try Matrix(rowArrays: (0..<20).map { i in i % 2 == 0 ? [0, 0] : [1, 1] })
        let result = try GaussianMixture.fit(x, components: 3, options: EMOptions(maxIterations: 2))
        #expect(result.events.contains { if case .componentReseeded(0, _, _) = $0 { return true } else { return false } })
        try result.model.checkInvariants()
    }

    @Test func everyInitialisationGivesAValidModel() async {
        let initialisations: [GaussianMixture.Initialization] = [
            .kMeansPlusPlus(), .kMeansPlusPlus(lloydIterations: 0), .randomResponsibilities, .randomSamples, .identical,
        ]
        await propertyCheck(count: 15, input: Gen<CovarianceType>.case, Gen.int(in: 0..<5), Gen.int(in: 1...4), Gen.uint64()) { type, which, k, seed in
            var g = SeededGenerator(seed: seed)
            let x = Fixtures.data(samples: 50, components: 2, dimension: 3, using: &g)
            let result = try GaussianMixture.fit(
                x, components: k, covariance: type, initialization: initialisations[which],
                options: EMOptions(maxIterations: 0, seed: seed))
            try result.model.checkInvariants()
            #expect(result.model.covarianceType == type)
            if case .randomSamples = initialisations[which] {
                for c in 0..<k { #expect((0..<x.rows).contains { x.row($0) == result.model.means.row(c) }) }
            }
        }
    }
}

/// The multivariate normal, K = 1.
@Suite struct MultivariateNormalLaws {
    @Test func emReachesTheClosedFormAfterOneMStep() async {
        await propertyCheck(count: 20, input: Gen.int(in: 1...6), Gen.uint64()) { d, seed in
            var g = SeededGenerator(seed: seed)
            let x = Fixtures.data(samples: 20 * d + 10, components: 2, dimension: d, using: &g)
            let closed = try MultivariateNormal.fit(x)
            let em = try MultivariateNormal.fitByEM(x, options: EMOptions(maxIterations: 50, tolerance: 1e-12))
            #expect(em.converged && em.iterations == 2)
            #expect(Fixtures.relativeError(em.model.mean, closed.mean) < 1e-12)
            #expect(Tolerance.relativeError(em.model.covariance, closed.covariance) < 1e-12)
            // And the closed form is the data's mean and covariance plus 10⁻⁶ x its mean variance.
            let summary = try DataSummary(x)
            var sigma = summary.covariance
            sigma.addToDiagonal(1e-6 * summary.covariance.trace / Double(d))
            #expect(Tolerance.relativeError(closed.covariance, sigma) < 1e-14)
        }
    }

    @Test func logDensityIsTheGaussianFormula() async {
        await propertyCheck(count: 30, input: Gen.int(in: 1...6), Gen.uint64()) { d, seed in
            var g = SeededGenerator(seed: seed)
            let mean = g.gaussians(count: d)
            let sigma = RandomMatrices.spd(d, ridge: 0.3, using: &g)
            let normal = try MultivariateNormal(mean: mean, covariance: sigma)
            let x = RandomMatrices.gaussian(rows: 10, columns: d, scale: 2, using: &g)
            let naive = (0..<10).map { NaiveDensity.logGaussian(x.row($0), mean: mean, covariance: sigma) }
            #expect(Fixtures.relativeError(try normal.logLikelihood(x), naive) < 1e-12)
        }
    }
}

/// Samples drawn from a model have its moments.
@Suite struct SamplingMoments {
    /// The mixture's mean and covariance, and for each component its share of the samples
    /// and, over the samples labelled with it, its own mean μₖ and covariance Σₖ (entries
    /// within 5 standard errors, √((Σ_aa Σ_bb + Σ_ab²)/nₖ) for a Gaussian), so that a wrong
    /// factor Lₖ of Σₖ = Lₖ Lₖᵀ (say its off-diagonal part dropped) is caught. Dimensions 2 and
    /// 3 and every covariance type.
    @Test func gaussianMixtureSamplesHaveTheMixtureMeanAndCovariance() async {
        await propertyCheck(count: 9, input: Gen<CovarianceType>.case, Gen.int(in: 1...3), Gen.int(in: 2...3), Gen.uint64()) { type, k, d, seed in
            var g = SeededGenerator(seed: seed)
            let model = try Fixtures.mixture(type, components: k, dimension: d, using: &g)
            let n = 20000
            let (x, labels) = model.sampleWithComponents(count: n, using: &g)
            // Mixture mean m = Σ πₖ μₖ and covariance Σ πₖ (Σₖ + μₖμₖᵀ) − m mᵀ.
            var m = [Double](repeating: 0, count: d)
            var c = Matrix(rows: d, columns: d)
            for k in 0..<model.componentCount {
                let mu = model.means.row(k), s = model.covariance(k)
                for a in 0..<d {
                    m[a] += model.weights[k] * mu[a]
                    for b in 0..<d { c[a, b] += model.weights[k] * (s[a, b] + mu[a] * mu[b]) }
                }
            }
            for a in 0..<d { for b in 0..<d { c[a, b] -= m[a] * m[b] } }
            let summary = try DataSummary(x)
            for a in 0..<d {
                #expect(abs(summary.mean[a] - m[a]) < 5 * (c[a, a] / Double(n)).squareRoot())
            }
            for k in 0..<model.componentCount {
                let members = labels.indices.filter { labels[$0] == k }
                #expect(abs(Double(members.count) / Double(n) - model.weights[k]) < 5 * (model.weights[k] / Double(n)).squareRoot() + 1e-3)
                guard members.count >= 500 else { continue }
                let own = try DataSummary(x.rows(members)), mu = model.means.row(k), sigma = model.covariance(k)
                let count = Double(members.count)
                for a in 0..<d {
                    #expect(abs(own.mean[a] - mu[a]) < 5 * (sigma[a, a] / count).squareRoot(), "\(type), component \(k): mean")
                    for b in 0..<d {
                        let standardError = ((sigma[a, a] * sigma[b, b] + sigma[a, b] * sigma[a, b]) / count).squareRoot()
                        #expect(abs(own.covariance[a, b] - sigma[a, b]) < 5 * standardError,
                                "\(type), component \(k): Σ[\(a), \(b)] = \(own.covariance[a, b]) against \(sigma[a, b])")
                    }
                }
            }
        }
    }

    /// Second and fourth moments: Cov x = (Σₖ πₖ sₖ) Σ, and for q = xᵀΣ⁻¹x (sₖ times a χ²_d
    /// in component k) E[q²] = d(d + 2) Σₖ πₖ sₖ², which a single Gaussian of the same
    /// covariance, d(d + 2)(Σₖ πₖ sₖ)², misses (K ≥ 2 scales spread over a factor of 20).
    @Test func scaleMixtureSamplesHaveCovarianceSumOfWeightedScalesTimesSigma() async {
        await propertyCheck(count: 6, input: Gen.int(in: 2...3), Gen.int(in: 1...3), Gen.uint64()) { k, d, seed in
            var g = SeededGenerator(seed: seed)
            let raw = (0..<k).map { _ in 1 + g.nextUniform() }
            let weights = raw.map { $0 / raw.reduce(0, +) }
            let scales = (0..<k).map { j in exp(3 * (Double(j) / Double(k - 1) - 0.5)) * (1 + 0.1 * g.nextUniform()) }
            let sigma = RandomMatrices.spd(d, ridge: 0.3, using: &g)
            let model = try GaussianScaleMixture(weights: weights, scales: scales, covariance: sigma)
            let n = 20000
            let x = model.sample(count: n, using: &g)
            let expected = sigma.scaled(by: zip(weights, scales).reduce(0) { $0 + $1.0 * $1.1 })
            let summary = try DataSummary(x)
            for a in 0..<d {
                #expect(abs(summary.mean[a]) < 5 * (expected[a, a] / Double(n)).squareRoot())
                for b in 0..<d {
                    #expect(abs(summary.covariance[a, b] - expected[a, b]) < 0.1 * (expected[a, a] * expected[b, b]).squareRoot())
                }
            }
            let inverse = try sigma.spdInverse()
            let squares = (0..<n).map { i -> Double in
                let row = x.row(i)
                var q = 0.0
                for a in 0..<d { for b in 0..<d { q += row[a] * inverse[a, b] * row[b] } }
                return q * q
            }
            let mean = squares.reduce(0, +) / Double(n)
            let spread = (squares.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(n - 1) / Double(n)).squareRoot()
            let fourth = Double(d * (d + 2)) * zip(weights, scales).reduce(0) { $0 + $1.0 * $1.1 * $1.1 }
            #expect(abs(mean - fourth) < 5 * spread, "E[q²] = \(mean) ± \(spread), expected \(fourth)")
        }
    }
}

/// The benchmark's arithmetic (its speed is measured by `workbook bench em`, not tested).
@Suite struct BenchmarkArithmetic {
    @Test func ratesFollowFromTheTimeAndTheFlopCount() throws {
        let x = syntheticData(samples: 400, dimension: 6, components: 3, seed: 2)
        #expect(x.rows == 400 && x.columns == 6)
        #expect(x.storage.allSatisfy { $0.isFinite })
        #expect(EMBenchmark.flopsPerIteration(samples: 400, dimension: 6, components: 3) == 4 * 400 * 3 * 36)
        let result = try EMBenchmark.run(x, components: 3, iterations: 2, dgemmSize: 32)
        #expect(result.samples == 400 && result.dimension == 6 && result.components == 3 && result.iterations == 2)
        #expect(result.secondsPerIteration > 0 && result.dgemmGflops > 0)
        #expect(abs(result.gflops - 4 * 400 * 3 * 36 / result.secondsPerIteration / 1e9) <= 1e-9 * result.gflops)
        #expect(abs(result.fractionOfDGEMM - result.gflops / result.dgemmGflops) <= 1e-12)
        #expect(result.description.contains("% of DGEMM"))
    }
}

/// `samples` rows drawn from a random full-covariance mixture of `components`
/// components in dimension `dimension` (means N(0, I), covariances A Aᵀ/d + 0.1 I):
/// synthetic data of a benchmark's shape, made with one GEMM per component.
private func syntheticData(samples n: Int, dimension d: Int, components k: Int, seed: UInt64 = 0) -> Matrix {
    var generator = SeededGenerator(seed: seed)
    var out = Matrix(rows: n, columns: d)
    var start = 0
    for c in 0..<k {
        let rows = (n - start) / (k - c)
        let a = try! Matrix(rows: d, columns: d, storage: generator.gaussians(count: d * d))
        var sigma = a.outerGram().scaled(by: 1 / Double(d))
        sigma.addToDiagonal(0.1)
        let l = try! sigma.cholesky().lower  // A Aᵀ/d + 0.1 I is positive definite
        let z = try! Matrix(rows: rows, columns: d, storage: generator.gaussians(count: rows * d))
        let mean = generator.gaussians(count: d)
        let block = try! z.multiplied(by: l, transposeOther: true)
        for i in 0..<rows { for j in 0..<d { out[start + i, j] = block[i, j] + mean[j] } }
        start += rows
    }
    return out
}
