import Foundation
import Imaging
import PropertyBased
import Randomness
import Restoration
import Testing

/// `DenoisingExperiment`: the same seed corrupts the same way, and the scores are the means
/// over images of the protocol's MSE (estimates clipped to [0, peak]) and PSNR.
@Suite struct DenoisingExperimentScores {
    @Test func scoresAreMeansOverImagesOfClippedMSEAndPSNR() async {
        await propertyCheck(count: 20, input: Gen.int(in: 1...5), Gen.int(in: 2...9), Gen.uint64()) { count, side, seed in
            var g = SeededGenerator(seed: seed)
            let peak = 255.0
            let clean = (0..<count).map { _ in
                try! Image(width: side, height: side, pixels: (0..<(side * side)).map { _ in peak * g.nextUniform() })
            }
            let experiment = try! DenoisingExperiment(clean: clean, corruption: try! Corruption(blur: .none, sigma: 20),
                                                      seed: seed, peak: peak)
            let again = try! DenoisingExperiment(clean: clean, corruption: try! Corruption(blur: .none, sigma: 20),
                                                 seed: seed, peak: peak)
            #expect(experiment.corrupted == again.corrupted, "the same seed gives the same noise")
            // Estimates reaching outside [0, peak], so that the clipping matters.
            let estimates = clean.map { image in image.mapPixels { $0 + 60 * g.nextGaussian() } }
            let (mse, psnr) = try! experiment.score(estimates)
            var naiveMSE = 0.0, naivePSNR = 0.0
            for (estimate, reference) in zip(estimates, clean) {
                var squared = 0.0
                for (e, r) in zip(estimate.pixels, reference.pixels) {
                    let clipped = min(max(e, 0), peak)
                    squared += (clipped - r) * (clipped - r)
                }
                let imageMSE = squared / Double(reference.pixels.count)
                naiveMSE += imageMSE
                naivePSNR += 10 * log10(peak * peak / imageMSE)
            }
            naiveMSE /= Double(count)
            naivePSNR /= Double(count)
            #expect(abs(mse - naiveMSE) <= 1e-12 * naiveMSE, "MSE \(mse) against \(naiveMSE)")
            #expect(abs(psnr - naivePSNR) <= 1e-12 * abs(naivePSNR), "PSNR \(psnr) against \(naivePSNR)")
        }
    }

    @Test func aWrongNumberOfEstimatesOrABadPeakThrows() throws {
        let clean = [try Image(width: 3, height: 3, repeating: 1)]
        let corruption = try Corruption(blur: .none, sigma: 1)
        #expect(throws: RestorationError.self) { try DenoisingExperiment(clean: clean, corruption: corruption, seed: 1, peak: 0) }
        let experiment = try DenoisingExperiment(clean: clean, corruption: corruption, seed: 1, peak: 255)
        #expect(throws: RestorationError.self) { try experiment.score([]) }
        #expect(throws: RestorationError.self) { try experiment.score(clean + clean) }
    }
}
