import Foundation
import LinearAlgebra

/// The speed of full-covariance EM on given samples, against this machine's DGEMM.
public struct EMBenchmarkResult: Sendable, CustomStringConvertible {
    /// N.
    public let samples: Int
    /// d.
    public let dimension: Int
    /// K.
    public let components: Int
    /// The number of timed EM iterations.
    public let iterations: Int
    /// Wall-clock seconds per EM iteration (E-step, statistics and M-step).
    public let secondsPerIteration: Double
    /// 4 N K d² / secondsPerIteration / 10⁹: the nominal work of an iteration as GEMMs
    /// (2 N K d² to whiten the samples in the E-step, 2 N K d² for the weighted scatters of
    /// the M-step), the count by which scikit-learn's implementation is compared. The engine
    /// does about half of it: the whitening is a triangular product (DTRMM, N K d²) and the
    /// scatter a symmetric rank-k update (DSYRK, N K d², less for rows with zero
    /// responsibility), so this rate can exceed the DGEMM rate.
    public let gflops: Double
    /// The DGEMM rate of the same BLAS, measured in the same run.
    public let dgemmGflops: Double
    /// The threads of an EM pass (each running single-threaded BLAS); DGEMM ran on as many
    /// OpenBLAS threads.
    public let threads: Int

    /// gflops / dgemmGflops.
    public var fractionOfDGEMM: Double { gflops / dgemmGflops }

    public var description: String {
        String(format: "N = %d, d = %d, K = %d: %.3f s per iteration, %.1f GFLOP/s = %.0f%% of DGEMM (%.1f GFLOP/s, %d threads)",
               samples, dimension, components, secondsPerIteration, gflops, 100 * fractionOfDGEMM,
               dgemmGflops, threads)
    }
}

/// The EM benchmark that `workbook bench em` runs (a measurement, not a test).
public enum EMBenchmark {
    /// 4 N K d², the floating-point operations counted per EM iteration.
    public static func flopsPerIteration(samples n: Int, dimension d: Int, components k: Int) -> Double {
        4 * Double(n) * Double(k) * Double(d) * Double(d)
    }

    /// Fits a full-covariance mixture of `components` components to `x` from a k-means++
    /// start (not timed) and times `iterations` EM iterations after it; measures DGEMM on
    /// `dgemmSize` x `dgemmSize` matrices before and after the fit and reports the higher
    /// rate (on a shared machine the lower one may have met other work).
    public static func run(
        _ x: Matrix, components k: Int = 11, iterations: Int = 3, seed: UInt64 = 0, dgemmSize: Int = 2048
    ) throws -> EMBenchmarkResult {
        guard iterations >= 1 else { throw MixtureError.invalidOption("the benchmark needs at least one iteration") }
        let dgemmBefore = measureDGEMMRate(size: dgemmSize)
        var times: [Double] = []
        // maxIterations = iterations + 1: the passes 1...iterations all accumulate statistics
        // (a full iteration each); the last pass only evaluates.
        let options = EMOptions(maxIterations: iterations + 1, tolerance: 0, seed: seed)
        _ = try GaussianMixture.fit(
            x, components: k, covariance: .full, initialization: .kMeansPlusPlus(lloydIterations: 2),
            options: options) { times.append($0.seconds) }
        let dgemm = max(dgemmBefore, measureDGEMMRate(size: dgemmSize))
        let perIteration = (times[iterations] - times[0]) / Double(iterations)
        let flops = flopsPerIteration(samples: x.rows, dimension: x.columns, components: k)
        return EMBenchmarkResult(
            samples: x.rows, dimension: x.columns, components: k, iterations: iterations,
            secondsPerIteration: perIteration, gflops: flops / perIteration / 1e9,
            dgemmGflops: dgemm, threads: BLASThreads.initialCount)
    }
}
