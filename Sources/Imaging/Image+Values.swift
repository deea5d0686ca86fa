extension Image {
    /// An image of the same shape whose pixels the caller already checked: used inside the
    /// module where the count is right by construction.
    init(unchecked width: Int, _ height: Int, _ channels: Int, _ pixels: [Double]) {
        assert(pixels.count == width * height * channels && (channels == 1 || channels == 3))
        self.width = width
        self.height = height
        self.channels = channels
        self.pixels = pixels
    }

    /// The image with `transform` applied to every value (all channels).
    public func mapPixels(_ transform: (Double) -> Double) -> Image {
        Image(unchecked: width, height, channels, pixels.map(transform))
    }

    /// Every value multiplied by `factor`, e.g. `scaled(by: 1 / 255)` takes an MNIST digit
    /// from 0...255 to [0, 1].
    public func scaled(by factor: Double) -> Image {
        mapPixels { $0 * factor }
    }

    /// Every value clamped to `range`: v ↦ min(max(v, lower), upper). NaN stays NaN.
    public func clipped(to range: ClosedRange<Double>) -> Image {
        mapPixels { $0.isNaN ? $0 : Swift.min(Swift.max($0, range.lowerBound), range.upperBound) }
    }

    /// The smallest and largest value over all channels.
    public var valueRange: ClosedRange<Double> {
        var low = Double.infinity
        var high = -Double.infinity
        for v in pixels {
            low = Swift.min(low, v)
            high = Swift.max(high, v)
        }
        return low...high
    }

    /// True when every value is finite (no NaN, no infinity).
    public var hasOnlyFinitePixels: Bool {
        pixels.allSatisfy { $0.isFinite }
    }

    /// Throws `ImageError.nonFinitePixel` naming `name` and the first NaN or infinite value,
    /// so a reader's caller can reject bad input before it reaches the numerics.
    public func requireFinitePixels(name: String) throws(ImageError) {
        guard let index = pixels.firstIndex(where: { !$0.isFinite }) else { return }
        let pixel = index / channels
        throw .nonFinitePixel(
            name: name, x: pixel % width, y: pixel / width, channel: index % channels,
            value: pixels[index])
    }
}
