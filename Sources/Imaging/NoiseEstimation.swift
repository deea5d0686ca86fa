/// Φ⁻¹(3/4), the third quartile of the standard normal distribution: for h ~ N(0, σ²),
/// median |h| = Φ⁻¹(3/4) σ.
let standardNormalThirdQuartile = 0.6744897501960817

/// An estimate of the standard deviation σ of white Gaussian noise in a gray image, from the
/// image alone (Donoho and Johnstone's robust estimator on the finest diagonal Haar detail).
///
/// The image is cut into the non-overlapping 2 x 2 blocks [a b; c d] whose top-left corners
/// have even coordinates (an odd last column or row is left out), and each block gives its
/// diagonal Haar detail coefficient
///
///     h = (a − b − c + d) / 2.
///
/// For y = x + σ ε, ε white standard Gaussian noise, h = h(x) + σ (ε_a − ε_b − ε_c + ε_d)/2;
/// the noise part has variance σ² (1/4 + 1/4 + 1/4 + 1/4) = σ², and the blocks do not
/// overlap, so their noise parts are independent N(0, σ²). The detail of a smooth image is
/// nearly zero (it is exactly zero wherever x is constant, or linear, on a block: it is the
/// mixed second difference ∂²x/∂u∂v / 2), so most |h| are pure noise, and their median, which
/// the minority of blocks on edges and texture hardly moves, estimates the median of
/// |N(0, σ²)|, Φ⁻¹(3/4) σ:
///
///     σ̂ = median_blocks |h| / Φ⁻¹(3/4),   Φ⁻¹(3/4) = 0.6744897501960817.
///
/// (Donoho and Johnstone, "Ideal spatial adaptation by wavelet shrinkage", Biometrika 1994:
/// MAD / 0.6745 of the finest wavelet coefficients.)
///
/// **Assumptions and bias.** The noise must be white (independent from pixel to pixel) and
/// Gaussian with one σ over the image; for other noise, 0.6745 is the wrong quartile.
/// Texture and edges add image detail to h and bias σ̂ upward (strongly on a finely
/// textured image with little noise). The standard error of σ̂ on pure noise is about
/// 1.17 σ / √n for n = ⌊W/2⌋ ⌊H/2⌋ blocks (the sample median of a half-normal). On 8-bit
/// data every |h| is a multiple of 1/510 of the full scale, and so is its median: σ̂ moves in
/// steps of 1/(510 · 0.6745) ≈ 0.0029 (0.74 on the 0…255 scale), coarse against a σ of a
/// few grey levels.
///
/// **Mathematical properties** (each tested):
/// - an image constant on every 2 x 2 block of the grid gives exactly 0;
/// - σ̂(c x + t) = |c| σ̂(x) for constants c and t (scale equivariance, shift invariance);
/// - on a smooth image plus white noise of standard deviation σ, σ̂ ≈ σ within a few
///   standard errors.
///
/// **Visibility.** With an alpha channel `alpha` (one gray channel of the image's size), only
/// the blocks whose four pixels are visible (alpha > 0) count: the colour under a fully
/// transparent pixel is whatever the file kept there (often 0 everywhere, which has no
/// detail and would pull the median toward 0), not part of the noisy picture.
///
/// - Throws: `ImageError.notGray` for a colour image (estimate each channel, see
///   `Image.channel(_:)`), `.invalidParameter` for an image narrower or shorter than 2 or
///   with no visible block, `.shapeMismatch` for an alpha channel of another shape, and
///   `.nonFinitePixel` for a NaN or infinite pixel.
public func estimatedNoiseSigma(_ image: Image, visibleWhere alpha: Image? = nil) throws(ImageError) -> Double {
    guard image.isGray else { throw .notGray(operation: "estimating the noise level", channels: image.channels) }
    guard image.width >= 2, image.height >= 2 else {
        throw .invalidParameter(
            "the noise level is estimated from 2 x 2 blocks of pixels, and a \(image.width) x \(image.height) image has none")
    }
    try image.requireFinitePixels(name: "the image whose noise level is estimated")
    if let alpha, !(alpha.isGray && alpha.width == image.width && alpha.height == image.height) {
        throw .shapeMismatch("the alpha channel is \(alpha.shapeDescription), the image \(image.shapeDescription)")
    }
    let columns = image.width / 2, rows = image.height / 2
    var details = [Double]()
    details.reserveCapacity(columns * rows)
    let pixels = image.pixels, width = image.width
    for row in 0..<rows {
        let top = 2 * row * width, bottom = top + width
        for column in 0..<columns {
            let x = 2 * column
            if let alpha, ![top + x, top + x + 1, bottom + x, bottom + x + 1].allSatisfy({ alpha.pixels[$0] > 0 }) {
                continue
            }
            let a = pixels[top + x], b = pixels[top + x + 1], c = pixels[bottom + x], d = pixels[bottom + x + 1]
            details.append(abs((a - b - c + d) / 2))
        }
    }
    guard !details.isEmpty else {
        throw .invalidParameter(
            "the noise level is estimated from 2 x 2 blocks of visible pixels (alpha > 0), and this image has none")
    }
    return median(of: &details) / standardNormalThirdQuartile
}

/// The median of `values` (the mean of the two middle values for an even count), sorting
/// them in place. `values` must not be empty.
private func median(of values: inout [Double]) -> Double {
    values.sort()
    let middle = values.count / 2
    return values.count % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2
}
