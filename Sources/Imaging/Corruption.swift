import LinearAlgebra
import Randomness

/// A corruption of the evaluation protocol: an optional blur, then i.i.d. Gaussian noise of
/// standard deviation σ (on the image's own scale), not clipped:
///
///     y = B x + σ ε,   ε ~ N(0, I),
///
/// where B is the identity or the binomial blur (zero padding). Per patch the same model
/// reads y = W z + n with W = `observationMatrix(patchSize:)`.
public struct Corruption: Equatable, Sendable, CustomStringConvertible {
    /// The blur applied before the noise.
    public enum Blur: String, Equatable, Sendable {
        /// No blur: B = I.
        case none
        /// The 3 x 3 binomial kernel [[1, 2, 1], [2, 4, 2], [1, 2, 1]] / 16.
        case binomial3
    }

    public let blur: Blur
    /// Noise standard deviation; 0 means blur only.
    public let sigma: Double

    /// - Throws: `ImageError.invalidParameter` unless σ is finite and 0 ≤ σ ≤ 10¹⁰⁰.
    public init(blur: Blur, sigma: Double) throws(ImageError) {
        guard sigma.isFinite, sigma >= 0 else {
            throw .invalidParameter("the noise level sigma must be finite and non-negative, not \(sigma)")
        }
        // Restoration divides by σ² and multiplies covariances by it: σ beyond 10¹⁰⁰ (already
        // absurd on any pixel scale) would overflow them to infinity.
        guard sigma <= 1e100 else {
            throw .invalidParameter("the noise level sigma = \(sigma) is absurdly large (at most 1e100; "
                                    + "it is in the model's pixel units, 0…1 or 0…255)")
        }
        self.blur = blur
        self.sigma = sigma
    }

    private init(validBlur blur: Blur, sigma: Double) {
        self.blur = blur
        self.sigma = sigma
    }

    /// The MNIST protocol's default: binomial blur, then noise σ = 20 on the 0...255 scale.
    public static let mnistProtocol = Corruption(validBlur: .binomial3, sigma: 20)

    /// Applies the corruption, drawing the noise from `generator`.
    public func apply(to image: Image, generator: inout SeededGenerator) -> Image {
        let blurred = blur == .binomial3 ? binomialBlur(image) : image
        guard sigma > 0 else { return blurred }
        return gaussianNoiseAdded(to: blurred, sigma: sigma, generator: &generator)
    }

    /// Applies the corruption with noise from `SeededGenerator(seed: seed)`: the same seed
    /// gives the same corrupted image.
    public func apply(to image: Image, seed: UInt64) -> Image {
        var generator = SeededGenerator(seed: seed)
        return apply(to: image, generator: &generator)
    }

    /// The m² x m² matrix W of y = W z + n for one m x m patch: the binomial blur matrix,
    /// or the identity when there is no blur.
    /// - Throws: `ImageError.invalidParameter` if m < 1.
    public func observationMatrix(patchSize m: Int) throws(ImageError) -> Matrix {
        switch blur {
        case .binomial3:
            return try binomialBlurMatrix(patchSize: m)
        case .none:
            guard m >= 1 else { throw .invalidParameter("the patch size must be at least 1, not \(m)") }
            return Matrix.identity(m * m)
        }
    }

    public var description: String {
        let blurText = blur == .binomial3 ? "binomial 3x3 blur" : "no blur"
        return sigma > 0 ? "\(blurText), Gaussian noise sigma = \(sigma)" : "\(blurText), no noise"
    }
}
