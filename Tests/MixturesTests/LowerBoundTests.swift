import Foundation
import LinearAlgebra
import Mixtures
import PropertyBased
import Randomness
import TestSupport
import Testing

/// EM never decreases the mean log-likelihood (the lower bound, tight after each E-step).
@Suite struct LowerBoundNeverDecreases {
    /// ℓₜ₊₁ ≥ ℓₜ to rounding, except across an M-step that re-seeded a component.
    static func expectMonotone<M>(_ result: FitResult<M>) {
        let values = result.meanLogLikelihoods
        #expect(values.count == result.iterations + 1)
        let reseeded = Set(result.events.map { event -> Int in
            if case .componentReseeded(let iteration, _, _) = event { return iteration }
            return -1
        })
        for t in 1..<max(values.count, 1) where !reseeded.contains(t) {
            #expect(values[t] >= values[t - 1] - 1e-10 * max(1, abs(values[t - 1])),
                    "ℓ decreased from \(values[t - 1]) to \(values[t]) at iteration \(t)")
        }
    }

    static let options = EMOptions(maxIterations: 15, tolerance: 0, regularization: .absolute(0))

    @Test func gaussianMixtureEveryCovarianceType() async {
        await propertyCheck(count: 30, input: Gen<CovarianceType>.case, Gen.int(in: 1...4), Gen.int(in: 1...4), Gen.bool, Gen.uint64()) { type, k, d, randomStart, seed in
            var g = SeededGenerator(seed: seed)
            let x = Fixtures.data(samples: 40 * k * d + 40, components: 1 + g.nextInt(below: 4), dimension: d,
                                  separation: 2, using: &g)
            var options = Self.options
            options.seed = seed
            let result = try GaussianMixture.fit(
                x, components: k, covariance: type,
                initialization: randomStart ? .randomResponsibilities : .kMeansPlusPlus(lloydIterations: 1),
                options: options)
            Self.expectMonotone(result)
        }
    }

    @Test func multivariateNormal() async {
        await propertyCheck(count: 20, input: Gen.int(in: 1...6), Gen.uint64()) { d, seed in
            var g = SeededGenerator(seed: seed)
            let x = Fixtures.data(samples: 30 * d, components: 2, dimension: d, using: &g)
            let result = try MultivariateNormal.fitByEM(x, options: Self.options)
            Self.expectMonotone(result)
            #expect(result.meanLogLikelihoods.count >= 2)
        }
    }

    @Test func gaussianScaleMixture() async {
        await propertyCheck(count: 25, input: Gen.int(in: 1...4), Gen.int(in: 1...5), Gen.bool, Gen.uint64()) { k, d, randomStart, seed in
            var g = SeededGenerator(seed: seed)
            // Zero-mean data with heavy tails: Gaussian rows times random scales.
            var x = RandomMatrices.gaussian(rows: 40 * d + 60, columns: d, using: &g)
            let a = RandomMatrices.lowerTriangular(d, using: &g)
            x = try x.multiplied(by: a, transposeOther: true)
            for i in 0..<x.rows {
                let s = exp(1.5 * g.nextGaussian())
                for j in 0..<d { x[i, j] *= s }
            }
            var options = Self.options
            options.seed = seed
            let result = try GaussianScaleMixture.fit(
                x, components: k, initialization: randomStart ? .randomScales() : .spreadScales(), options: options)
            Self.expectMonotone(result)
        }
    }
}

/// What every M-step leaves behind.
@Suite struct MStepInvariants {
    @Test func weightsOnTheSimplexAndCovariancesPositiveDefinite() async {
        await propertyCheck(count: 30, input: Gen<CovarianceType>.case, Gen.int(in: 1...5), Gen.int(in: 1...5), Gen.int(in: 0...6), Gen.uint64()) { type, k, d, iterations, seed in
            var g = SeededGenerator(seed: seed)
            let x = Fixtures.data(samples: 20 * k + 10, components: 3, dimension: d, using: &g)
            let model = try GaussianMixture.fit(
                x, components: k, covariance: type,
                options: EMOptions(maxIterations: iterations, tolerance: 0, seed: seed)).model
            #expect(abs(model.weights.reduce(0, +) - 1) < 1e-12)
            #expect(model.weights.allSatisfy { $0 >= 0 })
            for c in 0..<k {
                let sigma = model.covariance(c)
                #expect(sigma == sigma.transposed)
                #expect(try sigma.symmetricEigen().values.allSatisfy { $0 > 0 })
            }
            try model.checkInvariants()
        }
    }

    @Test func scaleMixtureNormalisesItsScales() async {
        await propertyCheck(count: 20, input: Gen.int(in: 1...4), Gen.int(in: 1...5), Gen.uint64()) { k, d, seed in
            var g = SeededGenerator(seed: seed)
            let x = RandomMatrices.gaussian(rows: 30 * d + 20, columns: d, scale: 2, using: &g)
            let model = try GaussianScaleMixture.fit(
                x, components: k, options: EMOptions(maxIterations: 3, tolerance: 0)).model
            #expect(abs(zip(model.weights, model.scales).reduce(0) { $0 + $1.0 * $1.1 } - 1) < 1e-12)
            #expect(abs(model.weights.reduce(0, +) - 1) < 1e-12)
            try model.checkInvariants()
        }
    }
}

/// One EM iteration equals the M-step formulas computed naively from the responsibilities
/// of the previous model.
@Suite struct MStepMatchesNaiveFormulas {
    @Test func gaussianMixture() async {
        await propertyCheck(count: 30, input: Gen<CovarianceType>.case, Gen.int(in: 1...4), Gen.int(in: 1...4), Gen.uint64()) { type, k, d, seed in
            var g = SeededGenerator(seed: seed)
            let x = Fixtures.data(samples: 25 * k + 10, components: 2, dimension: d, using: &g)
            // Random parameters with the means at samples, so that no component is empty.
            let random = try Fixtures.mixture(type, components: k, dimension: d, using: &g)
            let start = try GaussianMixture(
                weights: random.weights, means: x.rows(g.sampleIndices(k, from: x.rows)),
                covariances: random.covariances)
            let epsilon = 0.01
            let next = try GaussianMixture.fit(
                x, components: k, covariance: type, initialization: .parameters(start),
                options: EMOptions(maxIterations: 1, tolerance: 0, regularization: .absolute(epsilon))).model
            let r = try start.responsibilities(x)
            let n = Double(x.rows)
            for c in 0..<k {
                let nk = (0..<x.rows).reduce(0) { $0 + r[$1, c] }
                #expect(abs(next.weights[c] - nk / n) < 1e-12)
                let mean = (0..<d).map { j in (0..<x.rows).reduce(0) { $0 + r[$1, c] * x[$1, j] } / nk }
                #expect(Fixtures.relativeError(next.means.row(c), mean) < 1e-10)
                var sigma = Matrix(rows: d, columns: d)
                for i in 0..<x.rows {
                    for a in 0..<d {
                        for b in 0..<d { sigma[a, b] += r[i, c] * (x[i, a] - mean[a]) * (x[i, b] - mean[b]) / nk }
                    }
                }
                switch type {
                case .full:
                    sigma.addToDiagonal(epsilon)
                case .diagonal:
                    sigma = .diagonal(sigma.diagonalEntries.map { $0 + epsilon })
                case .isotropic:
                    sigma = .diagonal([Double](repeating: sigma.trace / Double(d) + epsilon, count: d))
                }
                #expect(Tolerance.relativeError(next.covariance(c), sigma) < 1e-10)
            }
        }
    }

    @Test func gaussianScaleMixture() async {
        await propertyCheck(count: 25, input: Gen.int(in: 1...4), Gen.int(in: 1...4), Gen.uint64()) { k, d, seed in
            var g = SeededGenerator(seed: seed)
            let x = RandomMatrices.gaussian(rows: 30 * d + 20, columns: d, scale: 1.5, using: &g)
            let raw = (0..<k).map { _ in 1 + g.nextUniform() }
            let start = try GaussianScaleMixture(
                weights: raw.map { $0 / raw.reduce(0, +) }, scales: (0..<k).map { _ in exp(g.nextUniform() - 0.5) },
                covariance: RandomMatrices.spd(d, ridge: 0.3, using: &g))
            let next = try GaussianScaleMixture.fit(
                x, components: k, initialization: .parameters(start),
                options: EMOptions(maxIterations: 1, tolerance: 0, regularization: .absolute(0))).model
            // Naive ECM step: π, then r² with the old Σ, then Σ with the new r², then normalise.
            let r = try start.responsibilities(x)
            let m = try start.mahalanobisForms(x)
            let n = x.rows
            let weights = (0..<k).map { c in (0..<n).reduce(0) { $0 + r[$1, c] } / Double(n) }
            let scales = (0..<k).map { c in
                ScaleUpdate.closedForm(responsibilities: (0..<n).map { r[$0, c] }, mahalanobis: m, dimension: d)
            }
            var sigma = Matrix(rows: d, columns: d)
            for i in 0..<n {
                let w = (0..<k).reduce(0) { $0 + r[i, $1] / scales[$1] } / Double(n)
                for a in 0..<d { for b in 0..<d { sigma[a, b] += w * x[i, a] * x[i, b] } }
            }
            let s = zip(weights, scales).reduce(0) { $0 + $1.0 * $1.1 }
            #expect(Fixtures.relativeError(next.weights, weights) < 1e-12)
            #expect(Fixtures.relativeError(next.scales, scales.map { $0 / s }) < 1e-10)
            #expect(Tolerance.relativeError(next.covariance, sigma.scaled(by: s)) < 1e-10)
        }
    }
}
