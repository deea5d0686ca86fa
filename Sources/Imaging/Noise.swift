import Randomness

/// The image plus i.i.d. Gaussian noise: each value v (all channels, in storage order)
/// becomes v + σ ε with ε ~ N(0, 1) drawn from `generator`. The result is not clipped.
/// - Throws: `ImageError.invalidParameter` unless σ is finite and positive.
public func addingGaussianNoise(to image: Image, sigma: Double, generator: inout SeededGenerator)
    throws(ImageError) -> Image
{
    guard sigma.isFinite, sigma > 0 else {
        throw .invalidParameter("the noise level sigma must be finite and positive, not \(sigma)")
    }
    return gaussianNoiseAdded(to: image, sigma: sigma, generator: &generator)
}

/// `addingGaussianNoise` for a σ already checked.
func gaussianNoiseAdded(to image: Image, sigma: Double, generator: inout SeededGenerator) -> Image {
    image.mapPixels { $0 + sigma * generator.nextGaussian() }
}
