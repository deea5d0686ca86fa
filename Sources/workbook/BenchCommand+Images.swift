import ArgumentParser
import Foundation
import Imaging
import LinearAlgebra
import Mixtures
import Randomness
import Restoration

/// `workbook bench segment`: one EM iteration of the isotropic mixture (K = 64) on the RGB
/// pixels of coffee.png.
struct SegmentBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "segment",
        abstract: "Seconds per EM iteration of the isotropic mixture on coffee.png's pixels (K = 64).")

    @OptionGroup var options: BenchOptions

    @Option(parsing: .unconditional, help: "K, the number of components.")
    var components: Int = 64

    @Option(parsing: .unconditional, help: "Timed iterations after the initialisation.")
    var iterations: Int = 5

    func validate() throws {
        guard components >= 1 else { throw ValidationError("--components must be at least 1, got \(components)") }
        try requireBenchIterations(iterations)
    }

    func run() throws {
        let image = try PNGFile.read(options.dataDirectory.appendingPathComponent("images/coffee.png").path, as: .rgb)
        let pixels = try Matrix(rows: image.width * image.height, columns: 3, storage: image.pixels)
        let dgemm = measureDGEMMRate()
        var times: [Double] = []
        _ = try GaussianMixture.fit(
            pixels, components: components, covariance: .isotropic, initialization: .kMeansPlusPlus(lloydIterations: 2),
            options: EMOptions(maxIterations: iterations + 1, tolerance: 0, seed: 1)) { times.append($0.seconds) }
        let perIteration = (times[iterations] - times[0]) / Double(iterations)
        try options.emit(
            ["pixels": pixels.rows, "components": components, "seconds_per_iteration": perIteration, "dgemm_gflops": dgemm],
            text: String(format: "segment  N = %d pixels  K = %d  %.3f s/iteration  (DGEMM %.1f GFLOP/s in the same run)",
                         pixels.rows, components, perIteration, dgemm))
    }
}

/// `workbook bench denoise-image`: MMSE restoration of a 512x512 photograph with a K = 20,
/// 8x8 GMM prior (noise only, σ = 25/255).
struct DenoiseImageBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "denoise-image",
        abstract: "Seconds for the MMSE restoration of camera.png (512x512) with a K = 20, 8x8 prior.")

    @OptionGroup var options: BenchOptions

    func run() throws {
        let m = 8, k = 20
        let camera = try Datasets.grayPhotograph("camera", in: options.dataDirectory)
        var training = try extractPatches(from: [camera], size: m)
        var generator = SeededGenerator(seed: 3)
        training = training.rows(generator.sampleIndices(50_000, from: training.rows))
        let prior = try RestorationTiming.shortFitPrior(training, components: k)
        let dgemm = measureDGEMMRate()
        let timing = try RestorationTiming.measure(
            clean: [camera], corruption: Corruption(blur: .none, sigma: 25.0 / 255), peak: 1, prior: prior, patchSize: m)
        let (best, psnr) = (timing.seconds, timing.psnr)
        let patches = patchCount(width: camera.width, height: camera.height, size: m)
        let flops = EMBenchmark.flopsPerIteration(samples: patches, dimension: m * m, components: k)
        let gflops = flops / best / 1e9
        try options.emit(
            ["patches": patches, "components": k, "seconds": best, "gflops": gflops, "dgemm_gflops": dgemm,
             "fraction_of_dgemm": gflops / dgemm, "psnr": psnr],
            text: String(format: "denoise-image  512x512, %d patches, m = 8, K = 20  %.3f s  %.1f GFLOP/s = %.0f%% of DGEMM (%.1f GFLOP/s)  PSNR %.2f dB (prior: 5 EM iterations)",
                         patches, best, gflops, 100 * gflops / dgemm, dgemm, psnr))
    }
}
