import LinearAlgebra

extension GaussianMixture {
    /// Fits a K-component Gaussian mixture to the rows of `x` by EM (see `fitEM`).
    ///
    /// ```swift
    /// let result = try GaussianMixture.fit(patches, components: 11, covariance: .full,
    ///                                      options: EMOptions(seed: 7)) { print($0) }
    /// print(result.model.weights, result.converged, result.meanLogLikelihoods)
    /// ```
    public static func fit(
        _ x: Matrix, components k: Int, covariance type: CovarianceType = .full,
        initialization: Initialization = .kMeansPlusPlus(), options: EMOptions = EMOptions(),
        progress: ((FitProgress) -> Void)? = nil
    ) throws -> FitResult<GaussianMixture> {
        try fitEM(x, components: k, options: options, progress: progress) { context in
            try initialModel(initialization, components: k, covariance: type, context: &context)
        }
    }

    /// Fits a K-component Gaussian mixture by EM over batches of samples that are never all
    /// in memory (see `fitEMStreaming`): `batches` is called once per pass and must produce
    /// the same samples each time.
    ///
    /// ```swift
    /// // `patches(of:)`: the caller's function cutting one image into a matrix of patches,
    /// // one a row, when the batch is needed (the lazy map holds one image's patches at a time).
    /// let result = try GaussianMixture.fitStreaming(
    ///     batches: { images.lazy.map { patches(of: $0) } }, components: 11)
    /// ```
    public static func fitStreaming<Batches: Sequence>(
        batches: () throws -> Batches, components k: Int, covariance type: CovarianceType = .full,
        initialization: Initialization = .kMeansPlusPlus(), options: EMOptions = EMOptions(),
        progress: ((FitProgress) -> Void)? = nil
    ) throws -> FitResult<GaussianMixture> where Batches.Element == Matrix {
        try fitEMStreaming(batches: batches, components: k, options: options, progress: progress) { context in
            try initialModel(initialization, components: k, covariance: type, context: &context)
        }
    }
}
