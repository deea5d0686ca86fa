import ArgumentParser
import Foundation
import Imaging
import LinearAlgebra
import Mixtures
import Restoration

/// `workbook bench`: speed measurements on this machine, each beside the DGEMM rate of the
/// same BLAS measured in the same run (release builds only: `make bench`).
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Speed benchmarks, reported as fractions of this machine's DGEMM rate.",
        subcommands: [EMBench.self, DenoiseBench.self, SegmentBench.self, DenoiseImageBench.self, EPLLBench.self]
    )
}

/// Options every benchmark takes.
struct BenchOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The data directory.", valueName: "dir"))
    var data: String = "data"

    @Flag(help: "Print one JSON object per measurement.")
    var json = false

    var dataDirectory: URL { URL(fileURLWithPath: data, isDirectory: true) }

    /// Prints `object` as one JSON line, or `text`.
    func emit(_ object: [String: Any], text: String) throws {
        if json {
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        } else {
            print(text)
        }
    }
}

/// `workbook bench em`: full-covariance EM iterations on MNIST patches, m = 16 and m = 8.
struct EMBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "em",
        abstract: "Seconds per EM iteration (full covariances, K = 11) on the patches of 1,000 digits.")

    @OptionGroup var options: BenchOptions

    @Option(help: "Patch sizes to measure.")
    var patch: [Int] = [16, 8]

    @Option(parsing: .unconditional, help: "Timed iterations after the initialisation.")
    var iterations: Int = 3

    @Option(parsing: .unconditional, help: "How many training digits.")
    var digits: Int = 1000

    func validate() throws {
        guard !patch.isEmpty, patch.allSatisfy({ (1...28).contains($0) }) else {
            throw ValidationError("--patch must be in 1…28 (digits are 28 x 28), got \(patch)")
        }
        try requireBenchIterations(iterations)
        guard Datasets.mnistTrainingRange.count >= digits, digits >= 1 else {
            throw ValidationError("--digits must be in 1…\(Datasets.mnistTrainingRange.count) (the training digits), got \(digits)")
        }
    }

    func run() throws {
        let images = try Datasets.mnistTraining(in: options.dataDirectory, count: digits)
        for m in patch {
            let patches = try extractPatches(from: images, size: m)
            let r = try EMBenchmark.run(patches, components: 11, iterations: iterations)
            try options.emit(
                ["patch": m, "samples": r.samples, "dimension": r.dimension, "components": r.components,
                 "seconds_per_iteration": r.secondsPerIteration, "gflops": r.gflops, "dgemm_gflops": r.dgemmGflops,
                 "fraction_of_dgemm": r.fractionOfDGEMM, "threads": r.threads],
                text: String(format: "em  m = %2d  N = %d  d = %d  K = %d  %.3f s/iteration  %.1f GFLOP/s = %.0f%% of DGEMM (%.1f GFLOP/s; %d threads, each with single-threaded BLAS)",
                             m, r.samples, r.dimension, r.components, r.secondsPerIteration, r.gflops,
                             100 * r.fractionOfDGEMM, r.dgemmGflops, r.threads))
        }
    }
}

/// `workbook bench denoise`: MMSE restoration of held-out digits (m = 16, K = 11, σ = 20).
struct DenoiseBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "denoise",
        abstract: "Milliseconds per digit of the batched MMSE restoration (m = 16, K = 11).")

    @OptionGroup var options: BenchOptions

    @Option(parsing: .unconditional, help: "How many test digits to restore.")
    var digits: Int = 500

    @Option(parsing: .unconditional, help: "The patch size.")
    var patch: Int = 16

    func validate() throws {
        guard (1...28).contains(patch) else { throw ValidationError("--patch must be in 1…28 (digits are 28 x 28), got \(patch)") }
        guard digits >= 1 else { throw ValidationError("--digits must be at least 1, got \(digits)") }
    }

    func run() throws {
        let training = try extractPatches(from: Datasets.mnistTraining(in: options.dataDirectory, count: 1000), size: patch)
        let prior = try RestorationTiming.shortFitPrior(training, components: 11)
        let test = try Datasets.mnistTest(in: options.dataDirectory, count: digits).images
        let dgemm = measureDGEMMRate()
        let timing = try RestorationTiming.measure(
            clean: test, corruption: .mnistProtocol, peak: 255, prior: prior, patchSize: patch)
        let (best, psnr) = (timing.seconds, timing.psnr)
        let perDigit = best / Double(digits)
        let patchesPerDigit = patchCount(width: 28, height: 28, size: patch)
        let flops = EMBenchmark.flopsPerIteration(samples: patchesPerDigit, dimension: patch * patch, components: 11)
        let gflops = flops / perDigit / 1e9
        try options.emit(
            ["patch": patch, "digits": digits, "components": 11, "ms_per_digit": 1000 * perDigit, "gflops": gflops,
             "dgemm_gflops": dgemm, "fraction_of_dgemm": gflops / dgemm, "psnr": psnr, "blas_threads": blasThreadCount],
            text: String(format: "denoise  m = %d  K = 11  %d digits  %.2f ms/digit  %.1f GFLOP/s = %.0f%% of DGEMM (%.1f GFLOP/s)  PSNR %.2f dB (prior: 5 EM iterations)",
                         patch, digits, 1000 * perDigit, gflops, 100 * gflops / dgemm, dgemm, psnr))
    }
}

/// Throws unless a benchmark's timed iteration count is in 1…1000.
func requireBenchIterations(_ iterations: Int) throws {
    guard (1...1000).contains(iterations) else {
        throw ValidationError("--iterations must be in 1…1000, got \(iterations)")
    }
}
