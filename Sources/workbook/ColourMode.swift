import Imaging

/// How `workbook restore` restores a colour image with a gray prior (its option --colour):
/// channel by channel in R, G and B, each with its own σ, or in the orthonormal opponent
/// colour channels (`Image.opponentChannels()`)
///
///     L = (R + G + B)/√3,   C₁ = (R − B)/√2,   C₂ = (R − 2G + B)/√6,
///
/// each with the same σ: white noise of σ in R, G and B is white noise of σ in L, C₁ and C₂,
/// independent between them (O is orthonormal: Cov(O n) = σ² O Oᵀ = σ² I). Each is restored
/// alone with the gray prior at that σ and the restored channels are mapped back by Oᵀ. The
/// opponent transform needs one σ for R, G and B: with σ estimated per RGB channel, their
/// root mean square sqrt((σ_R² + σ_G² + σ_B²)/3) is used. A blur acts on every channel
/// alike, so it commutes with O and stays as it is.
///
/// The channels are restored on O's own ranges (L in [0, √3 p], the chroma in about
/// [−0.8 p, 0.8 p] for pixels in [0, p]): on chelsea with noise of σ = 10, 25 and 50 grey
/// levels, scaling L by 1/√3 to [0, p] (σ/√3 with it) and shifting the chroma by p/2 to
/// mid-gray moved the PSNR by −0.35 to +0.14 dB (the README's mean-removed prior and chapter
/// 11's mean-kept one; patch averaging and EPLL), against 0.7 to 2 dB that the opponent
/// channels gain over R, G and B.
enum ColourMode: String, CaseIterable {
    case opponent
    case rgb

    /// The names of an RGB image's channels, in their order.
    static let rgbChannelNames = ["R", "G", "B"]

    /// The gray images to restore, their names and their noise σ, for an RGB image whose
    /// channels have noise `rgbSigmas`.
    func split(_ image: Image, rgbSigmas: [Double]) throws -> [(channel: Image, name: String, sigma: Double)] {
        switch self {
        case .rgb:
            return try (0..<3).map { (try image.channel($0), ColourMode.rgbChannelNames[$0], rgbSigmas[$0]) }
        case .opponent:
            let sigma = ColourMode.commonSigma(rgbSigmas)
            let channels = try image.opponentChannels()
            return (0..<3).map { (channels[$0], Image.opponentChannelNames[$0], sigma) }
        }
    }

    /// The RGB image from its three restored channels (in the order of `split`).
    func merged(_ restored: [Image]) throws -> Image {
        switch self {
        case .rgb: return try Image(stacking: restored)
        case .opponent: return try Image(opponentChannels: restored)
        }
    }

    /// The one σ of opponent mode: the root mean square sqrt((σ_R² + σ_G² + σ_B²)/3) of the
    /// RGB channels' σ (their common value when they are equal).
    static func commonSigma(_ rgbSigmas: [Double]) -> Double {
        (rgbSigmas.map { $0 * $0 }.reduce(0, +) / Double(rgbSigmas.count)).squareRoot()
    }
}
