import ArgumentParser
import Foundation
import Imaging
import LinearAlgebra
import Mixtures
import Randomness
import Restoration

/// `workbook bench epll`: whole-image EPLL restoration of a 512x512 photograph with a K = 20,
/// 8x8 GMM prior (noise only, σ = 25/255, β = (1/σ²) · {1, 4, 8, 16, 32}).
struct EPLLBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "epll",
        abstract: "Seconds for EPLL on camera.png (512x512) with a K = 20, 8x8 prior, five β steps.")

    @OptionGroup var options: BenchOptions

    @Option(parsing: .unconditional, help: "Timed restorations; the fastest is reported.")
    var runs: Int = 3

    func validate() throws {
        guard (1...100).contains(runs) else { throw ValidationError("--runs must be in 1…100, got \(runs)") }
    }

    func run() throws {
        let m = 8, k = 20, sigma = 25.0 / 255
        let camera = try Datasets.grayPhotograph("camera", in: options.dataDirectory)
        var training = try extractPatches(from: [camera], size: m)
        var generator = SeededGenerator(seed: 3)
        training = training.rows(generator.sampleIndices(50_000, from: training.rows))
        let prior = try RestorationTiming.shortFitPrior(training, components: k)
        let corruption = try Corruption(blur: .none, sigma: sigma)
        let experiment = try DenoisingExperiment(clean: [camera], corruption: corruption, seed: 7, peak: 1)
        let epll = try EPLL(prior: prior, patchSize: m, degradation: corruption.degradation, noiseSigma: sigma)
        let dgemm = measureDGEMMRate()
        var best = Double.infinity, psnr = 0.0
        for _ in 0..<runs {
            let start = Date()
            let result = try epll.restore(experiment.corrupted)
            best = min(best, Date().timeIntervalSince(start))
            psnr = try experiment.score(result.restored).psnr
        }
        let steps = epll.betas.count
        let patches = patchCount(width: camera.width, height: camera.height, size: m)
        // Nominal work of a z-step: whitening every patch for every component, 2 N K d².
        let flops = 2 * Double(patches) * Double(k) * Double(m * m) * Double(m * m) * Double(steps)
        let gflops = flops / best / 1e9
        let noisy = try experiment.corruptedScore().psnr
        try options.emit(
            ["patches": patches, "components": k, "beta_steps": steps, "seconds": best, "seconds_per_step": best / Double(steps),
             "gflops": gflops, "dgemm_gflops": dgemm, "fraction_of_dgemm": gflops / dgemm, "psnr_noisy": noisy, "psnr": psnr],
            text: String(format: "epll  512x512, %d patches, m = 8, K = 20, %d β steps  %.3f s (%.3f s per step)  %.1f GFLOP/s = %.0f%% of DGEMM (%.1f GFLOP/s; work counted as 2NKd² per step)  PSNR %.2f → %.2f dB (prior: 5 EM iterations)",
                         patches, steps, best, best / Double(steps), gflops, 100 * gflops / dgemm, dgemm, noisy, psnr))
    }
}
