import Foundation

/// The mean squared error over all values (every pixel and channel) of two images of the
/// same shape: MSE = (1 / N) Σᵢ (aᵢ − bᵢ)².
/// - Throws: `ImageError` if the shapes differ or a value is NaN or infinite.
public func meanSquaredError(_ a: Image, _ b: Image) throws(ImageError) -> Double {
    guard a.hasSameShape(as: b) else {
        throw .shapeMismatch("\(a.shapeDescription) against \(b.shapeDescription)")
    }
    try a.requireFinitePixels(name: "the first image of the MSE")
    try b.requireFinitePixels(name: "the second image of the MSE")
    var sum = 0.0
    for i in 0..<a.pixels.count {
        let difference = a.pixels[i] - b.pixels[i]
        sum += difference * difference
    }
    return sum / Double(a.pixels.count)
}

/// The protocol's MSE: the estimate is first clipped to [0, peak] (a restored image cannot
/// be brighter than white or darker than black), then compared with the reference:
/// MSE = (1 / N) Σᵢ (clip(eᵢ, 0, peak) − rᵢ)².
/// - Throws: `ImageError` if the shapes differ, a value is not finite, or peak is not a
///   finite positive number.
public func meanSquaredError(estimate: Image, reference: Image, clippedTo peak: Double) throws(ImageError) -> Double {
    guard peak.isFinite, peak > 0 else {
        throw .invalidParameter("the peak value must be finite and positive, not \(peak)")
    }
    guard estimate.hasSameShape(as: reference) else {
        throw .shapeMismatch("estimate \(estimate.shapeDescription) against reference \(reference.shapeDescription)")
    }
    try estimate.requireFinitePixels(name: "the estimate")
    try reference.requireFinitePixels(name: "the reference")
    return try meanSquaredError(estimate.clipped(to: 0...peak), reference)
}

/// Peak signal-to-noise ratio in decibels, following the protocol:
///
///     PSNR = 10 log₁₀(peak² / MSE),
///
/// with MSE = `meanSquaredError(estimate:reference:clippedTo: peak)`, i.e. the estimate is
/// clipped to [0, peak] first. Use peak 255 for MNIST digits (0...255) and 1 for
/// photographs in [0, 1]. An estimate equal to the reference gives +infinity.
/// - Throws: `ImageError` as `meanSquaredError(estimate:reference:clippedTo:)`.
public func peakSignalToNoiseRatio(estimate: Image, reference: Image, peak: Double) throws(ImageError) -> Double {
    let mse = try meanSquaredError(estimate: estimate, reference: reference, clippedTo: peak)
    return 10 * log10(peak * peak / mse)
}
