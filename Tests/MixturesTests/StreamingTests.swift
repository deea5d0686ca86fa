import Foundation
import LinearAlgebra
import Mixtures
import PropertyBased
import Randomness
import TestSupport
import Testing

/// A fit over batches equals the in-memory fit from the same initialisation.
@Suite struct StreamingMatchesInMemory {
    /// The rows of `x` cut into consecutive batches of random sizes (1 to 40 rows).
    static func batches(of x: Matrix, using g: inout SeededGenerator) -> [Matrix] {
        var out: [Matrix] = []
        var start = 0
        while start < x.rows {
            let n = min(1 + g.nextInt(below: 40), x.rows - start)
            out.append(x.rows(Array(start..<(start + n))))
            start += n
        }
        return out
    }

    @Test func gaussianMixtureEveryCovarianceType() async {
        await propertyCheck(count: 20, input: Gen<CovarianceType>.case, Gen.int(in: 1...4), Gen.int(in: 1...5), Gen.uint64()) { type, k, d, seed in
            var g = SeededGenerator(seed: seed)
            let x = Fixtures.data(samples: 40 * k + 30, components: 3, dimension: d, using: &g)
            let batches = Self.batches(of: x, using: &g)
            // Small blocks too, so the in-memory fit also sums over several blocks.
            let options = EMOptions(maxIterations: 8, tolerance: 0, seed: seed, blockRows: 1 + g.nextInt(below: 50))
            let inMemory = try GaussianMixture.fit(x, components: k, covariance: type, options: options)
            let streamed = try GaussianMixture.fitStreaming(
                batches: { batches }, components: k, covariance: type, options: options)
            #expect(streamed.iterations == inMemory.iterations)
            #expect(Fixtures.relativeError(streamed.meanLogLikelihoods, inMemory.meanLogLikelihoods) < 1e-9)
            let a = streamed.model, b = inMemory.model
            #expect(Fixtures.relativeError(a.weights, b.weights) < 1e-9)
            #expect(Tolerance.relativeError(a.means, b.means) < 1e-9)
            for c in 0..<k { #expect(Tolerance.relativeError(a.covariance(c), b.covariance(c)) < 1e-9) }
        }
    }

    @Test func scaleMixtureAndNormal() async {
        await propertyCheck(count: 15, input: Gen.int(in: 1...3), Gen.int(in: 1...4), Gen.uint64()) { k, d, seed in
            var g = SeededGenerator(seed: seed)
            let x = RandomMatrices.gaussian(rows: 50 * d + 30, columns: d, scale: 2, using: &g)
            let batches = Self.batches(of: x, using: &g)
            let options = EMOptions(maxIterations: 6, tolerance: 0, seed: seed)
            let inMemory = try GaussianScaleMixture.fit(x, components: k, options: options).model
            let streamed = try GaussianScaleMixture.fitStreaming(batches: { batches }, components: k, options: options).model
            #expect(Fixtures.relativeError(streamed.scales, inMemory.scales) < 1e-9)
            #expect(Tolerance.relativeError(streamed.covariance, inMemory.covariance) < 1e-9)
            let normal = try MultivariateNormal.fitStreaming(batches: { batches })
            let closed = try MultivariateNormal.fit(x)
            #expect(Fixtures.relativeError(normal.mean, closed.mean) < 1e-12)
            #expect(Tolerance.relativeError(normal.covariance, closed.covariance) < 1e-12)
        }
    }

    @Test func streamLargerThanTheInitializationSampleStillFits() throws {
        // The initialisation sees a reservoir sample of 100 rows; the fit sees all 600.
        var g = SeededGenerator(seed: 3)
        let x = Fixtures.data(samples: 600, components: 2, dimension: 2, separation: 8, using: &g)
        let batches = Self.batches(of: x, using: &g)
        var passes = 0
        let result = try GaussianMixture.fitStreaming(
            batches: { passes += 1; return batches }, components: 2,
            options: EMOptions(maxIterations: 30, initializationSampleLimit: 100))
        // One pass for the summary, then one per evaluated iteration.
        #expect(passes == result.meanLogLikelihoods.count + 1)
        let direct = try GaussianMixture.fit(x, components: 2, options: EMOptions(maxIterations: 30))
        #expect(abs(result.finalMeanLogLikelihood - direct.finalMeanLogLikelihood) < 1e-3)
    }

    @Test func batchesThatChangeBetweenPassesAreAnError() throws {
        var g = SeededGenerator(seed: 4)
        let x = RandomMatrices.gaussian(rows: 50, columns: 2, using: &g)
        var passes = 0
        #expect(throws: MixtureError.self) {
            try GaussianMixture.fitStreaming(
                batches: { () -> [Matrix] in passes += 1; return passes == 1 ? [x] : [x.rows(Array(0..<40))] },
                components: 2)
        }
        #expect(throws: MixtureError.self) {
            try GaussianMixture.fitStreaming(
                batches: { [x, RandomMatrices.gaussian(rows: 5, columns: 3, using: &g)] }, components: 2)
        }
    }
}
