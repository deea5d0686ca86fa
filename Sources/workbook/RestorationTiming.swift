import Imaging
import LinearAlgebra
import Mixtures
import Restoration

/// What the restoration benchmarks share: a prior from a short fit (only its shape and
/// realistic covariances matter for the timing), and the best of three timed MMSE
/// restorations of the same corrupted images.
struct RestorationTiming {
    /// The fastest of the three runs, in seconds.
    let seconds: Double
    /// The mean PSNR of the restored images.
    let psnr: Double

    /// A K-component full GMM after 5 EM iterations on `training`.
    static func shortFitPrior(_ training: Matrix, components k: Int) throws -> GaussianMixture {
        try GaussianMixture.fit(training, components: k, options: EMOptions(maxIterations: 5, tolerance: 0, seed: 1)).model
    }

    /// Corrupts `clean` (seed 7) and times the MMSE restoration three times.
    static func measure(
        clean: [Image], corruption: Corruption, peak: Double, prior: GaussianMixture, patchSize m: Int
    ) throws -> RestorationTiming {
        let experiment = try DenoisingExperiment(clean: clean, corruption: corruption, seed: 7, peak: peak)
        let denoiser = try PatchDenoiser(prior: prior, patchSize: m, corruption: corruption)
        var best = Double.infinity, psnr = 0.0
        for _ in 0..<3 {
            let result = try experiment.restore(with: denoiser, estimator: .mmse)
            best = min(best, result.seconds)
            psnr = result.psnr
        }
        return RestorationTiming(seconds: best, psnr: psnr)
    }
}
