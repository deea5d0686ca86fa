import LinearAlgebra

/// A fitted patch prior of any of the three families, with what made it.
public enum PatchPrior: Sendable, Equatable {
    case gmm(GaussianMixture)
    case mvn(MultivariateNormal)
    case gsm(GaussianScaleMixture)

    /// The family's name as the command line and the model file spell it.
    public var kind: String {
        switch self {
        case .gmm: return "gmm"
        case .mvn: return "mvn"
        case .gsm: return "gsm"
        }
    }

    public var dimension: Int {
        switch self {
        case .gmm(let m): return m.dimension
        case .mvn(let m): return m.dimension
        case .gsm(let m): return m.dimension
        }
    }

    /// The same density as a Gaussian mixture: a GMM is itself, an MVN is one component,
    /// a GSM is K components N(0, rₖ² Σ). Restoration works on this form.
    public func asGaussianMixture() throws -> GaussianMixture {
        switch self {
        case .gmm(let m): return m
        case .mvn(let m): return m.mixture
        case .gsm(let m):
            let d = m.dimension
            return try GaussianMixture(
                weights: m.weights, means: Matrix(rows: m.componentCount, columns: d),
                covariances: .full(m.scales.map { m.covariance.scaled(by: $0) }))
        }
    }
}

/// What a model file records besides the parameters, so that a model is used only on data
/// like the data it was fitted to.
public struct PatchModelMetadata: Sendable, Equatable {
    /// m: the model is a prior on m x m patches (dimension m²).
    public var patchSize: Int
    /// The largest pixel value of the data it was fitted on: 255 for MNIST, 1 for photographs.
    public var pixelScale: Double
    /// The seed of the fit.
    public var seed: UInt64
    /// What it was fitted on, in words (file names, counts).
    public var data: String
    /// Whether each patch's mean (its DC component) was removed before fitting.
    public var patchMeanRemoved: Bool

    public init(patchSize: Int, pixelScale: Double, seed: UInt64, data: String, patchMeanRemoved: Bool = false) {
        self.patchSize = patchSize
        self.pixelScale = pixelScale
        self.seed = seed
        self.data = data
        self.patchMeanRemoved = patchMeanRemoved
    }
}

/// A patch prior with its metadata: what `workbook fit` writes and `workbook denoise` reads.
public struct PatchModel: Sendable, Equatable {
    public var prior: PatchPrior
    public var metadata: PatchModelMetadata

    /// Throws unless the patch size m is positive and the prior's dimension is m² (computed
    /// without overflow: a model file may hold any patch size), and unless a scale mixture,
    /// whose density has mean 0, is a prior on mean-removed patches (restoring raw patches
    /// with it would pull every patch toward black).
    public init(prior: PatchPrior, metadata: PatchModelMetadata) throws {
        let (area, overflow) = metadata.patchSize.multipliedReportingOverflow(by: metadata.patchSize)
        guard metadata.patchSize >= 1, !overflow, prior.dimension == area else {
            throw MixtureError.invalidParameters(
                "a model of dimension \(prior.dimension) is not a prior on \(metadata.patchSize) x \(metadata.patchSize) patches")
        }
        if case .gsm = prior, !metadata.patchMeanRemoved {
            throw MixtureError.invalidParameters(
                "a Gaussian scale mixture has mean 0: it is a prior on mean-removed patches, so patch_mean_removed must be 1")
        }
        self.prior = prior
        self.metadata = metadata
    }
}
