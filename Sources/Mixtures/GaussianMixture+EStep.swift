import CBLAS
import Foundation
import LinearAlgebra

/// The E-step of a Gaussian mixture on a block of n samples, all of a component's samples
/// at once with BLAS.
///
/// - full: for each component, the block's rows minus μₖ (one O(n d) pass), then the
///   whitened rows Yₖ = (X − 1μₖᵀ) Uₖ by one triangular matrix product (DTRMM: n x d times the
///   d x d upper-triangular Uₖ, half the flops of a GEMM), and the Mahalanobis forms
///   ‖(xᵢ − μₖ)ᵀ Uₖ‖² as row norms (O(n d));
/// - diagonal and isotropic: with z = x − c (c the mixture's centre, once per block),
///   Σⱼ λₖⱼ (xⱼ − μₖⱼ)² = (Z∘Z) λₖ − 2 Z wₖ + oₖ for all components by two GEMMs
///   (n x d times d x K);
/// then aᵢₖ = log πₖ − (d/2) log 2π + log|Uₖ| − ½ (that quadratic form).
///
/// Mathematical properties: see `GaussianMixture` (tested in `LogDensityLaws`).
extension GaussianMixture {
    public func computeLogDensities(_ block: SampleBlock, workspace: EMWorkspace) {
        let n = block.rows, d = dimension, k = componentCount
        let y = workspace.scratch, a = workspace.logDensities
        switch factors {
        case .full(let upper, _):
            means.storage.withUnsafeBufferPointer { mu in
                for c in 0..<k {
                    subtractRow(mu.baseAddress! + c * d, from: block, into: y)
                    upper[c].storage.withUnsafeBufferPointer { u in
                        cblas_dtrmm(CblasRowMajor, CblasRight, CblasUpper, CblasNoTrans, CblasNonUnit,
                                    Int32(n), Int32(d), 1, u.baseAddress, Int32(d), y, Int32(d))
                    }
                    let constant = logNormalizers[c]
                    for i in 0..<n { a[i * k + c] = constant - 0.5 * squaredNorm(y + i * d, count: d) }
                }
            }
        case .diagonal(let precisions, let weightedMeans, let offsets, _):
            let z = workspace.centred
            fillCentred(block, centre: centre, workspace: workspace)
            fillSquares(rows: n, workspace: workspace)
            precisions.storage.withUnsafeBufferPointer { p in
                weightedMeans.storage.withUnsafeBufferPointer { w in
                    // A = −½ (Z∘Z) Λᵀ + Z Wᵀ
                    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(n), Int32(k), Int32(d),
                                -0.5, y, Int32(d), p.baseAddress, Int32(d), 0, a, Int32(k))
                    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(n), Int32(k), Int32(d),
                                1, z, Int32(d), w.baseAddress, Int32(d), 1, a, Int32(k))
                }
            }
            for c in 0..<k {
                let constant = logNormalizers[c] - 0.5 * offsets[c]
                for i in 0..<n { a[i * k + c] += constant }
            }
        }
    }
}

/// out ← the block's rows minus the row vector `m`.
@inline(__always)
func subtractRow(_ m: UnsafePointer<Double>, from block: SampleBlock, into out: UnsafeMutablePointer<Double>) {
    let d = block.columns
    for i in 0..<block.rows {
        let x = block.base + i * d, row = out + i * d
        for j in 0..<d { row[j] = x[j] - m[j] }
    }
}

/// Σⱼ pⱼ², with eight independent partial sums (a single running sum would wait on the
/// latency of every addition).
@inline(__always)
func squaredNorm(_ p: UnsafePointer<Double>, count d: Int) -> Double {
    let raw = UnsafeRawPointer(p)
    var partial = SIMD8<Double>.zero
    var j = 0
    while j + 8 <= d {
        let v = raw.loadUnaligned(fromByteOffset: j * MemoryLayout<Double>.stride, as: SIMD8<Double>.self)
        partial += v * v
        j += 8
    }
    var s = partial.sum()
    while j < d {
        s += p[j] * p[j]
        j += 1
    }
    return s
}

/// workspace.centred ← the block's rows minus `centre`.
func fillCentred(_ block: SampleBlock, centre: [Double], workspace: EMWorkspace) {
    let d = block.columns
    let z = workspace.centred
    centre.withUnsafeBufferPointer { c in
        for i in 0..<block.rows {
            let x = block.base + i * d, row = z + i * d
            for j in 0..<d { row[j] = x[j] - c[j] }
        }
    }
}

/// workspace.scratch ← workspace.centred squared entry by entry.
func fillSquares(rows n: Int, workspace: EMWorkspace) {
    let count = n * workspace.dimension
    let z = workspace.centred, s = workspace.scratch
    for t in 0..<count { s[t] = z[t] * z[t] }
}
