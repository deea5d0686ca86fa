import Foundation
import Imaging
import Randomness

/// One denoising experiment under the protocol: corrupt clean images (seeded), restore
/// them, and measure MSE and PSNR of the corrupted and restored images against the clean
/// ones (estimates clipped to [0, peak] first), averaged over the images.
public struct DenoisingExperiment: Sendable {
    public let clean: [Image]
    public let corrupted: [Image]
    public let corruption: Corruption
    /// The largest pixel value: 255 for digits, 1 for photographs.
    public let peak: Double

    /// Corrupts `clean` with one generator seeded by `seed`, image after image, so every
    /// estimator of a run sees the same noisy images.
    public init(clean: [Image], corruption: Corruption, seed: UInt64, peak: Double) throws {
        guard peak > 0, peak.isFinite else {
            throw RestorationError.invalidParameter("the peak pixel value must be positive, got \(peak)")
        }
        var generator = SeededGenerator(seed: seed)
        self.clean = clean
        self.corrupted = clean.map { corruption.apply(to: $0, generator: &generator) }
        self.corruption = corruption
        self.peak = peak
    }

    /// Mean MSE and PSNR of `estimates` against the clean images (estimates clipped to [0, peak]).
    public func score(_ estimates: [Image]) throws -> (mse: Double, psnr: Double) {
        guard estimates.count == clean.count, !clean.isEmpty else {
            throw RestorationError.shapeMismatch("\(estimates.count) estimates for \(clean.count) images")
        }
        var mse = 0.0, psnr = 0.0
        for (estimate, reference) in zip(estimates, clean) {
            mse += try meanSquaredError(estimate: estimate, reference: reference, clippedTo: peak)
            psnr += try peakSignalToNoiseRatio(estimate: estimate, reference: reference, peak: peak)
        }
        return (mse / Double(clean.count), psnr / Double(clean.count))
    }

    /// The scores of the corrupted images themselves.
    public func corruptedScore() throws -> (mse: Double, psnr: Double) {
        try score(corrupted)
    }

    /// Restores the corrupted images with `denoiser` and `estimator`, timing it.
    public func restore(with denoiser: PatchDenoiser, estimator: PatchEstimator) throws -> DenoisingResult {
        let start = Date()
        let restored = try denoiser.restore(corrupted, estimator: estimator)
        let seconds = Date().timeIntervalSince(start)
        let (mse, psnr) = try score(restored)
        return DenoisingResult(estimator: estimator, restored: restored, mse: mse, psnr: psnr, seconds: seconds)
    }
}

/// The restored images of one estimator and their scores.
public struct DenoisingResult: Sendable {
    public let estimator: PatchEstimator
    public let restored: [Image]
    /// Mean over images of the MSE against the clean image (estimate clipped to [0, peak]).
    public let mse: Double
    /// Mean over images of the PSNR.
    public let psnr: Double
    /// Wall-clock seconds for all images.
    public let seconds: Double
}
