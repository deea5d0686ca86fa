import Imaging
import LinearAlgebra

extension GMMPatchPosterior {
    /// Patches per chunk of `patchAverages`: 128 blocks of `estimate`, so that chunks split no
    /// block (the estimates do not depend on the chunking, bit for bit) and memory holds
    /// 65,536 patches at a time whatever the size of the images.
    static let averagingChunkRows = 128 * defaultBlockRows

    /// Patch averaging: every overlapping m x m patch Pᵢ xₜ of every image is estimated alone,
    /// ẑᵢ = `estimate`(Pᵢ xₜ), and each image is reassembled by averaging the estimates that
    /// cover each pixel (`averagePatchEstimates`, chunk by chunk).
    ///
    /// With `removingPatchMean` the prior models mean-removed patches: the patch's own mean
    /// p̄ᵢ is taken as the estimate of its mean, ẑᵢ = p̄ᵢ 1 + `estimate`(Pᵢ xₜ − p̄ᵢ 1).
    /// `progress` gets the patches done and the total after every chunk.
    func patchAverages(
        of images: [Image], patchSize m: Int, removingPatchMean: Bool, estimator: PatchEstimator,
        progress: ((_ done: Int, _ total: Int) -> Void)? = nil
    ) throws -> [Image] {
        try averagePatchEstimates(of: images, size: m, chunkRows: Self.averagingChunkRows, progress: progress) { chunk in
            try estimate(chunk, estimator: estimator, removingRowMeans: removingPatchMean)
        }
    }
}
