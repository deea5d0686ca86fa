/// Opponent colour channels: an RGB image seen as one luminance and two chroma channels,
/// through the orthonormal matrix
///
///     O = [ 1/√3   1/√3   1/√3 ]    luminance      L  = (R + G + B)/√3
///         [ 1/√2   0     −1/√2 ]    red–blue       C₁ = (R − B)/√2
///         [ 1/√6  −2/√6   1/√6 ]    green–magenta  C₂ = (R − 2G + B)/√6
///
/// applied to every pixel, (L, C₁, C₂)ᵀ = O (R, G, B)ᵀ, and undone by its transpose,
/// (R, G, B)ᵀ = Oᵀ (L, C₁, C₂)ᵀ, since O Oᵀ = Oᵀ O = I.
///
/// **Why the noise stays white.** For RGB noise n with i.i.d. N(0, σ²) entries, equal σ in R,
/// G and B and independent from pixel to pixel, O n is Gaussian with covariance
/// Cov(O n) = O (σ² I) Oᵀ = σ² O Oᵀ = σ² I: the opponent channels carry white Gaussian noise of
/// the same σ, independent between channels. So each opponent channel is a gray image with
/// noise σ and can be restored on its own with a gray prior; the chroma channels of a natural
/// photograph are smooth and of low contrast, which lets the prior remove more of their noise
/// than of R, G and B (where the same chroma noise hides in three strongly correlated channels).
/// With unequal σ in R, G and B the opponent noise is correlated, and one σ is an approximation.
///
/// **Ranges.** On pixels in [0, p], L lies in [0, √3 p], C₁ in [−p/√2, p/√2] and C₂ in
/// [−2p/√6, 2p/√6], not in the [0, p] of the gray images a gray prior was fitted to. A prior
/// fitted with the patch mean removed sees only a patch's contrast, so only the scale matters
/// to it; one fitted with the mean kept has learnt means in [0, p]. The transform leaves the
/// channels where O puts them; a caller may scale or shift a channel (a scale a turns its
/// noise σ into a σ, a shift leaves the noise alone). For `workbook restore` on chelsea,
/// scaling L by 1/√3 into [0, p] and shifting the chroma by p/2 to mid-gray moved the PSNR
/// by −0.35 to +0.14 dB, so it uses the channels as they are.
///
/// **Mathematical properties** (each tested):
/// - O is orthonormal: O Oᵀ = I;
/// - `Image(opponentChannels: image.opponentChannels())` is `image` up to rounding
///   (relative error ~1e-16);
/// - white noise of σ in R, G and B gives each opponent channel noise of standard deviation
///   σ, uncorrelated between the channels;
/// - a gray image stored as RGB (R = G = B = g) has L = √3 g and chroma exactly 0.
extension Image {
    /// The rows of O: luminance, red–blue, green–magenta. The green–magenta row is built as
    /// (u, −2u, u) with u = 1/√6, and red–blue as (v, 0, −v), so the chroma of R = G = B is 0
    /// exactly in floating point.
    public static let opponentMatrix: [[Double]] = {
        let l = 1 / Double(3).squareRoot(), v = 1 / Double(2).squareRoot(), u = 1 / Double(6).squareRoot()
        return [[l, l, l], [v, 0, -v], [u, -2 * u, u]]
    }()

    /// Names of the opponent channels, in the order of `opponentMatrix`.
    public static let opponentChannelNames = ["luminance", "red–blue", "green–magenta"]

    /// The three opponent channels of this RGB image as gray images of its size: channel k
    /// at pixel i is (O x_i)_k, x_i the pixel's (R, G, B).
    /// - Throws: `ImageError.invalidParameter` for a gray image.
    public func opponentChannels() throws(ImageError) -> [Image] {
        guard channels == 3 else {
            throw .invalidParameter("opponent colour channels need an RGB image, not a \(shapeDescription) one")
        }
        let o = Image.opponentMatrix
        var out = [[Double]](repeating: [Double](repeating: 0, count: pixelCount), count: 3)
        for i in 0..<pixelCount {
            let r = pixels[3 * i], g = pixels[3 * i + 1], b = pixels[3 * i + 2]
            for k in 0..<3 { out[k][i] = o[k][0] * r + o[k][1] * g + o[k][2] * b }
        }
        return out.map { Image(unchecked: width, height, 1, $0) }
    }

    /// The RGB image whose opponent channels are `channels`: x_i = Oᵀ y_i at every pixel,
    /// y_i = (L, C₁, C₂) there.
    /// - Throws: `ImageError.invalidParameter` unless there are three channels, `.notGray`
    ///   if one has several channels, `.shapeMismatch` if their sizes differ.
    public init(opponentChannels channels: [Image]) throws(ImageError) {
        guard channels.count == 3 else {
            throw .invalidParameter("an image is made from 3 opponent colour channels, not \(channels.count)")
        }
        let stacked = try Image(stacking: channels)
        let o = Image.opponentMatrix
        var pixels = [Double](repeating: 0, count: stacked.pixels.count)
        for i in 0..<stacked.pixelCount {
            let l = stacked.pixels[3 * i], c1 = stacked.pixels[3 * i + 1], c2 = stacked.pixels[3 * i + 2]
            for c in 0..<3 { pixels[3 * i + c] = o[0][c] * l + o[1][c] * c1 + o[2][c] * c2 }
        }
        self.init(unchecked: stacked.width, stacked.height, 3, pixels)
    }
}
