import Foundation
import LinearAlgebra
import Mixtures
import PropertyBased
import Randomness
import TestSupport
import Testing

/// The E-step's log densities against naive per-sample computations.
@Suite struct LogDensityLaws {
    static let types = Gen<CovarianceType>.case

    @Test func logLikelihoodEqualsNaivePerSampleComputation() async {
        await propertyCheck(count: 40, input: Self.types, Gen.int(in: 1...4), Gen.int(in: 1...6), Gen.uint64()) { type, k, d, seed in
            var g = SeededGenerator(seed: seed)
            let model = try Fixtures.mixture(type, components: k, dimension: d, using: &g)
            let n = 1 + g.nextInt(below: 40)
            let x = RandomMatrices.gaussian(rows: n, columns: d, scale: 3, using: &g)
            let fast = try model.logLikelihood(x)
            let known = Fixtures.known(model)
            let naive = (0..<n).map {
                NaiveDensity.logMixture(x.row($0), weights: known.weights, means: known.means, covariances: known.covariances)
            }
            // Condition numbers of the covariances are at most about 15.
            #expect(Fixtures.relativeError(fast, naive) < 1e-11)
        }
    }

    @Test func blockSizeDoesNotChangeTheDensity() async {
        // Blocks are cut at 2¹⁸ values; a matrix with more rows than one block must agree with
        // the same rows evaluated one at a time.
        await propertyCheck(count: 5, input: Gen.int(in: 1...3), Gen.uint64()) { k, seed in
            var g = SeededGenerator(seed: seed)
            let d = 64
            let model = try Fixtures.mixture(.full, components: k, dimension: d, using: &g)
            let x = RandomMatrices.gaussian(rows: 4097 + g.nextInt(below: 100), columns: d, using: &g)
            let all = try model.logLikelihood(x)
            for i in [0, 4095, 4096, x.rows - 1] {
                let single = try model.logLikelihood(x.rows([i]))[0]
                #expect(abs(all[i] - single) <= 1e-12 * max(1, abs(single)))
            }
        }
    }

    @Test func diagonalAndIsotropicEqualFullWithTheSameCovariances() async {
        await propertyCheck(count: 40, input: Gen.int(in: 1...4), Gen.int(in: 1...6), Gen.bool, Gen.uint64()) { k, d, isotropic, seed in
            var g = SeededGenerator(seed: seed)
            let model = try Fixtures.mixture(isotropic ? .isotropic : .diagonal, components: k, dimension: d, using: &g)
            let asFull = try GaussianMixture(
                weights: model.weights, means: model.means,
                covariances: .full((0..<k).map { model.covariance($0) }))
            let x = RandomMatrices.gaussian(rows: 30, columns: d, scale: 3, using: &g)
            #expect(Fixtures.relativeError(try model.logLikelihood(x), try asFull.logLikelihood(x)) < 1e-12)
            #expect(Tolerance.relativeError(try model.responsibilities(x), try asFull.responsibilities(x)) < 1e-12)
        }
    }

    @Test func permutingComponentsChangesNothing() async {
        await propertyCheck(count: 40, input: Self.types, Gen.int(in: 1...5), Gen.int(in: 1...5), Gen.uint64()) { type, k, d, seed in
            var g = SeededGenerator(seed: seed)
            let model = try Fixtures.mixture(type, components: k, dimension: d, using: &g)
            var permutation = Array(0..<k)
            permutation.shuffle(using: &g)
            let permuted = try model.permuted(permutation)
            let x = RandomMatrices.gaussian(rows: 25, columns: d, scale: 3, using: &g)
            #expect(Fixtures.relativeError(try permuted.logLikelihood(x), try model.logLikelihood(x)) < 1e-13)
            // Responsibilities permute with the components.
            let r = try model.responsibilities(x), rp = try permuted.responsibilities(x)
            for i in 0..<x.rows {
                for c in 0..<k { #expect(abs(rp[i, c] - r[i, permutation[c]]) < 1e-13) }
            }
        }
    }

    @Test func responsibilitiesAreADistributionPerSample() async {
        await propertyCheck(count: 40, input: Self.types, Gen.int(in: 1...5), Gen.int(in: 1...6), Gen.uint64()) { type, k, d, seed in
            var g = SeededGenerator(seed: seed)
            let model = try Fixtures.mixture(type, components: k, dimension: d, using: &g)
            // Far-away samples make some components' densities underflow: still one in total.
            let x = RandomMatrices.gaussian(rows: 30, columns: d, scale: 30, using: &g)
            let r = try model.responsibilities(x)
            for i in 0..<x.rows {
                let row = r.row(i)
                #expect(row.allSatisfy { $0 >= 0 && $0 <= 1 })
                #expect(abs(row.reduce(0, +) - 1) < 1e-13)
            }
        }
    }

    @Test func scaleMixtureDensityIsTheNaiveMixtureOfScaledGaussians() async {
        await propertyCheck(count: 30, input: Gen.int(in: 1...4), Gen.int(in: 1...6), Gen.uint64()) { k, d, seed in
            var g = SeededGenerator(seed: seed)
            let raw = (0..<k).map { _ in 1 + g.nextUniform() }
            let weights = raw.map { $0 / raw.reduce(0, +) }
            let scales = (0..<k).map { _ in exp(2 * g.nextUniform() - 1) }
            let sigma = RandomMatrices.spd(d, ridge: 0.3, using: &g)
            let model = try GaussianScaleMixture(weights: weights, scales: scales, covariance: sigma)
            let x = RandomMatrices.gaussian(rows: 20, columns: d, scale: 2, using: &g)
            let naive = (0..<x.rows).map { i in
                NaiveDensity.logMixture(x.row(i), weights: weights, means: [[Double]](repeating: [Double](repeating: 0, count: d), count: k),
                                        covariances: scales.map { sigma.scaled(by: $0) })
            }
            #expect(Fixtures.relativeError(try model.logLikelihood(x), naive) < 1e-11)
            // The Mahalanobis forms are xᵀΣ⁻¹x.
            let inverse = try sigma.spdInverse()
            let m = try model.mahalanobisForms(x)
            for i in 0..<x.rows {
                let v = try inverse.multiplied(byVector: x.row(i))
                #expect(abs(m[i] - zip(v, x.row(i)).reduce(0) { $0 + $1.0 * $1.1 }) < 1e-11 * max(1, m[i]))
            }
        }
    }

    @Test func precisionCholeskyTimesCovarianceGivesIdentity() async {
        // Σ U Uᵀ = I: U is the factor of the precision.
        await propertyCheck(count: 30, input: Self.types, Gen.int(in: 1...3), Gen.int(in: 1...8), Gen.uint64()) { type, k, d, seed in
            var g = SeededGenerator(seed: seed)
            let model = try Fixtures.mixture(type, components: k, dimension: d, using: &g)
            for c in 0..<k {
                let u = model.precisionCholesky(c)
                let product = try model.covariance(c).multiplied(by: try u.multiplied(by: u, transposeOther: true))
                #expect(Tolerance.relativeError(product, .identity(d)) < 1e-12)
            }
        }
    }
}
