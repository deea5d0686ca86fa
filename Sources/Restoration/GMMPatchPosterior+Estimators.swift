import Foundation
import Imaging
import LinearAlgebra
import Mixtures

/// How a patch estimate is read off the posterior mixture p(z | y) = Σₖ wₖ(y) N(mₖ(y), Pₖ).
public enum PatchEstimator: String, CaseIterable, Sendable, CustomStringConvertible {
    /// The seed study's rule, reproduced faithfully: score each component by the height of
    /// its own posterior at its own mean, πₖ N(m̃ₖ; m̃ₖ, Pₖ + εI) = πₖ |2π (Pₖ + εI)|^(−1/2)
    /// with ε = 0.01, take the best component's mean m̃ₖ = (Pₖ + εI)(Wᵀy/σ² + Σₖ⁻¹μₖ)
    /// (the seed adds εI before multiplying), set values above 255 to 255 and below 1 to 0.
    /// The score never involves y, so every patch of every image picks the same component.
    case seedMAP = "seed-map"
    /// The component with the largest posterior weight wₖ(y) (the evidence), its mean mₖ(y).
    case map
    /// The posterior mean of the whole mixture, Σₖ wₖ(y) mₖ(y): the estimate with the least
    /// expected squared error.
    case mmse

    public var description: String { rawValue }
}

extension GMMPatchPosterior {
    /// ε of the seed study's score (its `epsilon for handle singularity`).
    public static let seedEpsilon = 0.01

    /// The seed rule's log score of each component, log πₖ − ½ log|2π (Pₖ + εI)|.
    public func seedMAPScores(epsilon: Double = seedEpsilon) throws -> [Double] {
        let d = Double(cleanDimension)
        return try (0..<componentCount).map { c in
            var covariance = posteriorCovariances[c]
            covariance.addToDiagonal(epsilon)
            return log(prior.weights[c]) - 0.5 * (d * log(2 * Double.pi) + (try covariance.cholesky().logDeterminant))
        }
    }

    /// The component the seed rule picks for every patch.
    public func seedMAPComponent(epsilon: Double = seedEpsilon) throws -> Int {
        let scores = try seedMAPScores(epsilon: epsilon)
        return scores.indices.max { scores[$0] < scores[$1] }!
    }

    /// The block size of `estimate`.
    public static let defaultBlockRows = 512

    /// One estimate per row of Y (N x p), as an N x d matrix, processed in blocks of
    /// `blockRows` rows so that the temporaries stay in cache-friendly sizes. The blocks
    /// are independent: `threads` threads share them (thread w takes blocks w, w + T, …),
    /// each calling OpenBLAS single-threaded, so the estimates are the same bit for bit on
    /// any number of threads (see `BLASThreads`).
    ///
    /// With `removingRowMeans` (a prior on mean-removed patches, W = I) each row's own mean
    /// ȳᵢ is taken out before the estimate and put back after it, ẑᵢ = ȳᵢ 1 + estimate(yᵢ − ȳᵢ 1),
    /// inside each block's thread.
    public func estimate(
        _ y: Matrix, estimator: PatchEstimator, removingRowMeans: Bool = false, blockRows: Int = defaultBlockRows,
        threads: Int = BLASThreads.initialCount
    ) throws -> Matrix {
        guard y.columns == observedDimension else {
            throw RestorationError.shapeMismatch(
                "observed patches have \(y.columns) values, the model expects \(observedDimension)")
        }
        guard y.storage.allSatisfy(\.isFinite) else {
            throw RestorationError.invalidParameter("the observed patches contain NaN or infinite values")
        }
        guard blockRows >= 1 else {
            throw RestorationError.invalidParameter("a block must hold at least one patch, not \(blockRows)")
        }
        if removingRowMeans, observedDimension != cleanDimension {
            throw RestorationError.invalidParameter(
                "removing patch means needs the identity observation (p = d), not p = \(observedDimension), d = \(cleanDimension)")
        }
        let seedComponent = estimator == .seedMAP ? try seedMAPComponent() : 0
        let d = cleanDimension, blocks = (y.rows + blockRows - 1) / blockRows
        guard blocks > 0 else { return Matrix(rows: 0, columns: d) }
        let used = max(1, min(threads, blocks))
        let out = BlockErrors(count: blocks)
        var storage = [Double](repeating: 0, count: y.rows * d)
        storage.withUnsafeMutableBufferPointer { buffer in
            let output = OutputRows(base: buffer.baseAddress!, columns: d)
            BLASThreads.withSingleThreaded {
                DispatchQueue.concurrentPerform(iterations: used) { w in
                    for b in stride(from: w, to: blocks, by: used) {
                        let first = b * blockRows
                        var block = y.rows(Array(first..<min(first + blockRows, y.rows)))
                        do {
                            let means = removingRowMeans ? block.removeRowMeans() : []
                            var estimates: Matrix
                            switch estimator {
                            case .mmse: estimates = try mmse(block)
                            case .map: estimates = try map(block)
                            case .seedMAP: estimates = try seedMAP(block, component: seedComponent)
                            }
                            if removingRowMeans { estimates.addToRows(means) }
                            output.write(estimates, atRow: first)
                        } catch {
                            out.store(b, error)
                        }
                    }
                }
            }
        }
        try out.throwFirst()
        return try Matrix(rows: y.rows, columns: d, storage: storage)
    }

    /// Σₖ wₖ(yᵢ) mₖ(yᵢ) for each row.
    func mmse(_ y: Matrix) throws -> Matrix {
        let weights = try posteriorWeights(y)
        let d = cleanDimension, k = componentCount
        var out = Matrix(rows: y.rows, columns: d)
        var means = Matrix(rows: y.rows, columns: d)
        for c in 0..<k {
            try componentMeans(y, component: c, into: &means)
            out.storage.withUnsafeMutableBufferPointer { o in
                means.storage.withUnsafeBufferPointer { m in
                    for i in 0..<y.rows {
                        let w = weights.storage[i * k + c]
                        for j in 0..<d { o[i * d + j] += w * m[i * d + j] }
                    }
                }
            }
        }
        return out
    }

    /// m_{k*}(yᵢ) with k* = argmaxₖ wₖ(yᵢ), each component's rows in one GEMM.
    func map(_ y: Matrix) throws -> Matrix {
        let weights = try posteriorWeights(y)
        let k = componentCount
        let best = (0..<y.rows).map { i in (0..<k).max { weights[i, $0] < weights[i, $1] }! }
        var out = Matrix(rows: y.rows, columns: cleanDimension)
        for c in 0..<k {
            let rows = best.indices.filter { best[$0] == c }
            guard !rows.isEmpty else { continue }
            let means = try componentMeans(y.rows(rows), component: c)
            for (r, i) in rows.enumerated() { out.setRow(i, to: means.row(r)) }
        }
        return out
    }

    /// The seed rule's estimate with component `c` for every row:
    /// (P + εI)(Wᵀy/σ² + Σ⁻¹μ) = m(y) + ε (Wᵀy/σ² + Σ⁻¹μ), then the seed's clipping.
    func seedMAP(_ y: Matrix, component c: Int, epsilon: Double = seedEpsilon) throws -> Matrix {
        var out = try componentMeans(y, component: c)
        let priorTerm = try prior.covariance(c).cholesky().solve(vector: prior.means.row(c))
        // out += ε (Y W / σ² + 1 (Σ⁻¹μ)ᵀ)
        try Matrix.gemm(y, observation, alpha: epsilon / noiseVariance, beta: 1, into: &out)
        let d = cleanDimension
        for i in 0..<out.rows {
            for j in 0..<d {
                let value = out.storage[i * d + j] + epsilon * priorTerm[j]
                out.storage[i * d + j] = value > 255 ? 255 : (value < 1 ? 0 : value)
            }
        }
        return out
    }
}

/// The error of each block of `estimate` that failed, stored by the one thread that ran it.
/// (`@unchecked Sendable`: slot b is written by one thread only, and read after all of
/// them have finished.)
private final class BlockErrors: @unchecked Sendable {
    private let slots: UnsafeMutablePointer<(any Error)?>
    private let count: Int

    init(count: Int) {
        self.count = count
        slots = .allocate(capacity: count)
        slots.initialize(repeating: nil, count: count)
    }

    deinit {
        slots.deinitialize(count: count)
        slots.deallocate()
    }

    func store(_ block: Int, _ error: any Error) {
        slots[block] = error
    }

    /// Throws the error of the first block that failed, if any.
    func throwFirst() throws {
        for b in 0..<count { if let error = slots[b] { throw error } }
    }
}

/// The rows of `estimate`'s output, written in place by the block threads. (`@unchecked
/// Sendable`: each thread writes the rows of its own blocks only, which do not overlap, and
/// the buffer is read after all of them have finished.)
private struct OutputRows: @unchecked Sendable {
    let base: UnsafeMutablePointer<Double>
    let columns: Int

    /// Copies the rows of `block` to the output from row `first` on.
    func write(_ block: Matrix, atRow first: Int) {
        block.storage.withUnsafeBufferPointer { source in
            (base + first * columns).update(from: source.baseAddress!, count: source.count)
        }
    }
}
