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
