import Foundation
import Synchronization
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

    /// One estimate per row of Y (N x p), as an N x d matrix.
    ///
    /// The rows are cut into blocks of `blockRows`; the blocks are independent, so they are
    /// spread over the cores (each block's BLAS calls single-threaded meanwhile: small
    /// products that OpenBLAS parallelises poorly). Each block is computed the same way
    /// whichever thread takes it, so the result does not depend on the number of threads.
    public func estimate(_ y: Matrix, estimator: PatchEstimator, blockRows: Int = 512) throws -> Matrix {
        guard y.columns == observedDimension else {
            throw RestorationError.shapeMismatch(
                "observed patches have \(y.columns) values, the model expects \(observedDimension)")
        }
        guard y.storage.allSatisfy(\.isFinite) else {
            throw RestorationError.invalidParameter("the observed patches contain NaN or infinite values")
        }
        guard blockRows >= 1 else {
            throw RestorationError.invalidParameter("blocks must have at least one row, got \(blockRows)")
        }
        let seedComponent = estimator == .seedMAP ? try seedMAPComponent() : 0
        let d = cleanDimension
        let blockCount = (y.rows + blockRows - 1) / blockRows
        let failure = Mutex<(any Error)?>(nil)
        var out = Matrix(rows: y.rows, columns: d)
        out.storage.withUnsafeMutableBufferPointer { buffer in
            let rows = DisjointRows(base: buffer.baseAddress!)
            PassThreads.withSingleThreadedBLAS {
                DispatchQueue.concurrentPerform(iterations: blockCount) { b in
                    let start = b * blockRows, end = min(start + blockRows, y.rows)
                    do {
                        let block = y.rows(Array(start..<end))
                        let estimates: Matrix
                        switch estimator {
                        case .mmse: estimates = try mmse(block)
                        case .map: estimates = try map(block)
                        case .seedMAP: estimates = try seedMAP(block, component: seedComponent)
                        }
                        estimates.storage.withUnsafeBufferPointer { e in
                            (rows.base + start * d).update(from: e.baseAddress!, count: e.count)
                        }
                    } catch {
                        failure.withLock { if $0 == nil { $0 = error } }
                    }
                }
            }
        }
        if let error = failure.withLock({ $0 }) { throw error }
        return out
    }

    /// Σₖ wₖ(yᵢ) mₖ(yᵢ) for each row: one GEMM per component for mₖ(Y), then the weighted
    /// sum. (Folding all components into one GEMM, [wᵢ₁ yᵢᵀ, …, wᵢ_K yᵢᵀ] [G₁ᵀ; …; G_Kᵀ],
    /// was measured slower: its N x Kp left factor leaves the cache when Kp is large.)
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

/// The output of `estimate`, shared by the threads of its blocks (`@unchecked Sendable`:
/// block b writes only rows [b·blockRows, (b+1)·blockRows), so no two threads touch the
/// same memory, and the buffer outlives the concurrent loop).
private struct DisjointRows: @unchecked Sendable {
    let base: UnsafeMutablePointer<Double>
}
