import Foundation
import LinearAlgebra
import Mixtures
import PropertyBased
import Randomness
import TestSupport
import Testing

/// With identical initial components EM cannot break the symmetry (theory 1.3).
@Suite struct IdenticalInitialization {
    @Test func componentsStayEqualAndEqualTheGlobalMeanAndCovariance() async {
        await propertyCheck(count: 30, input: Gen<CovarianceType>.case, Gen.int(in: 2...5), Gen.int(in: 1...5), Gen.int(in: 1...8), Gen.uint64()) { type, k, d, iterations, seed in
            var g = SeededGenerator(seed: seed)
            let x = Fixtures.data(samples: 30 * k + 20, components: 3, dimension: d, using: &g)
            let epsilon = 1e-3
            let result = try GaussianMixture.fit(
                x, components: k, covariance: type, initialization: .identical,
                options: EMOptions(maxIterations: iterations, tolerance: 0, regularization: .absolute(epsilon)))
            let model = result.model
            #expect(result.iterations == iterations)
            let summary = try DataSummary(x)
            var global = summary.covariance
            switch type {
            case .full: break
            case .diagonal: global = .diagonal(global.diagonalEntries)
            case .isotropic: global = .diagonal([Double](repeating: global.trace / Double(d), count: d))
            }
            global.addToDiagonal(epsilon)
            for c in 0..<k {
                #expect(abs(model.weights[c] - 1 / Double(k)) < 1e-14)
                #expect(Fixtures.relativeError(model.means.row(c), summary.mean) < 1e-12)
                #expect(Tolerance.relativeError(model.covariance(c), global) < 1e-12)
                // Equal to each other to rounding.
                #expect(Fixtures.relativeError(model.means.row(c), model.means.row(0)) < 1e-13)
                #expect(Tolerance.relativeError(model.covariance(c), model.covariance(0)) < 1e-13)
            }
            // The likelihood does not move: every value is the first (the K = 1 fit's).
            let first = result.meanLogLikelihoods[0]
            #expect(result.meanLogLikelihoods.allSatisfy { abs($0 - first) <= 1e-12 * max(1, abs(first)) })
        }
    }

    @Test func emStopsAtOnceWithAPositiveTolerance() throws {
        var g = SeededGenerator(seed: 11)
        let x = Fixtures.data(samples: 200, components: 3, dimension: 3, using: &g)
        let result = try GaussianMixture.fit(x, components: 4, initialization: .identical,
                                             options: EMOptions(maxIterations: 50, tolerance: 1e-9))
        #expect(result.converged)
        #expect(result.iterations == 1)
        // k-means++ from the same data does better.
        let kmeans = try GaussianMixture.fit(x, components: 4, options: EMOptions(maxIterations: 50, tolerance: 1e-9))
        #expect(kmeans.finalMeanLogLikelihood > result.finalMeanLogLikelihood + 0.1)
    }
}
