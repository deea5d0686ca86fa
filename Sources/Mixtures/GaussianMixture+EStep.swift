import CBLAS
import Foundation
import LinearAlgebra

/// The E-step of a Gaussian mixture on a block of n samples, all of a component's samples
/// at once with BLAS.
///
/// With z = x − c (c the mixture's centre, computed once per block):
/// - full: the whitened block Y = Z Uₖ is one GEMM per component (n x d times d x d), and
///   ‖(x − μₖ)ᵀ Uₖ‖² = ‖yᵢ − bₖ‖² is a row norm (O(n d));
/// - diagonal and isotropic: Σⱼ λₖⱼ (xⱼ − μₖⱼ)² = (Z∘Z) λₖ − 2 Z wₖ + oₖ for all components by
///   two GEMMs (n x d times d x K);
/// then aᵢₖ = log πₖ − (d/2) log 2π + log|Uₖ| − ½ (that quadratic form).
extension GaussianMixture {
    public func computeLogDensities(_ block: SampleBlock, workspace: EMWorkspace) {
        let n = block.rows, d = dimension, k = componentCount
        let z = workspace.centred, y = workspace.scratch, a = workspace.logDensities
        fillCentred(block, centre: centre, workspace: workspace)
        switch factors {
        case .full(let upper, let projectedMeans, _):
            for c in 0..<k {
                upper[c].storage.withUnsafeBufferPointer { u in
                    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(n), Int32(d), Int32(d),
                                1, z, Int32(d), u.baseAddress, Int32(d), 0, y, Int32(d))
                }
                let constant = logNormalizers[c]
                projectedMeans.storage.withUnsafeBufferPointer { pm in
                    let b = pm.baseAddress! + c * d
                    for i in 0..<n {
                        let row = y + i * d
                        var s = 0.0
                        for j in 0..<d {
                            let v = row[j] - b[j]
                            s += v * v
                        }
                        a[i * k + c] = constant - 0.5 * s
                    }
                }
            }
        case .diagonal(let precisions, let weightedMeans, let offsets, _):
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
