import Imaging
import LinearAlgebra
import Mixtures
import PropertyBased
import Randomness
import Restoration
import Testing
import TestSupport

/// Patch averaging runs in chunks of 65,536 patches; with more patches than that, spread over
/// images the chunks cut through, the restoration must equal the one-matrix computation
/// (every patch of every image estimated at once, then each image reassembled) bit for bit.
@Suite struct ChunkedRestoration {
    @Test(arguments: [false, true])
    func patchAveragingEqualsTheOneMatrixComputation(removesMean: Bool) throws {
        var g = SeededGenerator(seed: removesMean ? 11 : 12)
        let m = 3
        let prior = try randomMixture(components: 2, dimension: m * m, using: &g)
        let corruption = try Corruption(blur: .none, sigma: 0.7)
        let denoiser = try PatchDenoiser(prior: prior, patchSize: m, corruption: corruption, removesPatchMean: removesMean)
        // 10 images of 86 x 86: 70,560 patches, so the second chunk starts inside the 10th image.
        let images = try (0..<10).map { _ in try randomImage(width: 86, height: 86, scale: 2, using: &g) }
        let restored = try denoiser.restore(images, estimator: .mmse)

        var patches = try extractPatches(from: images, size: m)
        let means = removesMean ? patches.removeRowMeans() : []
        var all = try denoiser.posterior.estimate(patches, estimator: .mmse)
        if removesMean { all.addToRows(means) }
        let count = patchCount(width: 86, height: 86, size: m)
        for (t, image) in restored.enumerated() {
            let own = try Matrix(rows: count, columns: m * m, storage: Array(all.storage[(t * count * m * m)..<((t + 1) * count * m * m)]))
            #expect(image == (try reassemblePatches(own, size: m, width: 86, height: 86)), "image \(t)")
        }
    }

    /// Images of different sizes are restored together, each as if alone.
    @Test func imagesOfDifferentSizesAreRestoredTogether() throws {
        var g = SeededGenerator(seed: 13)
        let prior = try randomMixture(components: 3, dimension: 4, using: &g)
        let denoiser = try PatchDenoiser(prior: prior, patchSize: 2, corruption: try Corruption(blur: .none, sigma: 0.5))
        let images = try [randomImage(width: 7, height: 5, using: &g), randomImage(width: 4, height: 9, using: &g)]
        let together = try denoiser.restore(images, estimator: .map)
        for (image, result) in zip(images, together) {
            let alone = try denoiser.restore([image], estimator: .map)[0]
            #expect(Tolerance.relativeError(result.pixels, alone.pixels) < 1e-13)
        }
    }
}

/// `estimate(_:estimator:removingRowMeans:)` takes each row's mean out and puts it back
/// inside the block threads: the same bits as doing so around the call, on any number of
/// threads and block sizes; it needs the identity observation.
@Suite struct EstimatesOfMeanRemovedRows {
    @Test func equalsRemovingAndAddingTheMeansAroundTheEstimate() async {
        await propertyCheck(count: 15, input: Gen.int(in: 1...300), Gen.int(in: 1...70), Gen.int(in: 1...3), Gen.uint64()) {
            rows, blockRows, threads, seed in
            var g = SeededGenerator(seed: seed)
            let d = 4
            let prior = try! randomMixture(components: 3, dimension: d, using: &g)
            let posterior = try! GMMPatchPosterior(prior: prior, observation: .identity(d), noiseSigma: 0.5)
            // Rows with means far from 0 (5 to 11), so that removing them matters.
            let offsets = try! Matrix(rows: rows, columns: d, storage: (0..<(rows * d)).map { 5 + Double($0 / d % 7) })
            let y = try! RandomMatrices.gaussian(rows: rows, columns: d, using: &g).adding(offsets)
            for estimator in [PatchEstimator.mmse, .map] {
                var centred = y
                let means = centred.removeRowMeans()
                var expected = try! posterior.estimate(centred, estimator: estimator)
                expected.addToRows(means)
                let inside = try! posterior.estimate(y, estimator: estimator, removingRowMeans: true, blockRows: blockRows,
                                                     threads: threads)
                #expect(inside == expected, "\(estimator), \(rows) rows in blocks of \(blockRows) on \(threads) threads")
            }
        }
    }

    @Test func aNonIdentityObservationOrAnEmptyBlockIsRefused() throws {
        var g = SeededGenerator(seed: 5)
        let prior = try randomMixture(components: 2, dimension: 4, using: &g)
        let blurred = try GMMPatchPosterior(prior: prior, observation: RandomMatrices.gaussian(rows: 3, columns: 4, using: &g),
                                            noiseSigma: 0.5)
        #expect(throws: RestorationError.self) {
            try blurred.estimate(Matrix(rows: 2, columns: 3), estimator: .mmse, removingRowMeans: true)
        }
        let identity = try GMMPatchPosterior(prior: prior, observation: .identity(4), noiseSigma: 0.5)
        #expect(throws: RestorationError.self) { try identity.estimate(Matrix(rows: 2, columns: 4), estimator: .mmse, blockRows: 0) }
        #expect(try identity.estimate(Matrix(rows: 0, columns: 4), estimator: .mmse).rows == 0)
    }
}
