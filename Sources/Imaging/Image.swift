/// A gray or RGB image with `Double` pixels.
///
/// Pixels are stored row by row, top row first, channels interleaved: the value of channel
/// `c` at column `x`, row `y` is `pixels[(y * width + x) * channels + c]`. The pixel scale is
/// the caller's choice and travels with the data: MNIST digits use 0...255 (as the IDX
/// reader returns them), photographs use [0, 1] (as the PNG reader returns them).
public struct Image: Equatable, Sendable {
    /// Number of columns.
    public let width: Int
    /// Number of rows.
    public let height: Int
    /// 1 for gray, 3 for RGB.
    public let channels: Int
    /// Row-major pixel values, channels interleaved; `count == width * height * channels`.
    public internal(set) var pixels: [Double]

    /// An image over existing pixel values. Throws unless `width, height >= 1`,
    /// `channels` is 1 or 3, and `pixels.count == width * height * channels`.
    public init(width: Int, height: Int, channels: Int = 1, pixels: [Double]) throws(ImageError) {
        let expected = try Image.valueCount(width: width, height: height, channels: channels)
        guard pixels.count == expected else {
            throw .pixelCountMismatch(expected: expected, actual: pixels.count)
        }
        self.width = width
        self.height = height
        self.channels = channels
        self.pixels = pixels
    }

    /// An image with every value equal to `value`.
    public init(width: Int, height: Int, channels: Int = 1, repeating value: Double = 0)
        throws(ImageError)
    {
        let count = try Image.valueCount(width: width, height: height, channels: channels)
        try self.init(
            width: width, height: height, channels: channels,
            pixels: Array(repeating: value, count: count))
    }

    /// `width * height * channels`, after checking the dimensions (and that the product fits).
    static func valueCount(width: Int, height: Int, channels: Int) throws(ImageError) -> Int {
        guard width >= 1, height >= 1, channels == 1 || channels == 3 else {
            throw .invalidDimensions(width: width, height: height, channels: channels)
        }
        let (area, overflowA) = width.multipliedReportingOverflow(by: height)
        let (count, overflowB) = area.multipliedReportingOverflow(by: channels)
        guard !overflowA, !overflowB else {
            throw .invalidDimensions(width: width, height: height, channels: channels)
        }
        return count
    }

    /// True for a one-channel image.
    public var isGray: Bool { channels == 1 }

    /// Number of pixels, `width * height` (not counting channels).
    public var pixelCount: Int { width * height }

    /// The gray value at column `x`, row `y` (gray images only; out-of-range indices trap,
    /// like an array index).
    public subscript(x x: Int, y y: Int) -> Double {
        get {
            precondition(channels == 1, "subscript(x:y:) is for gray images; use subscript(x:y:channel:)")
            precondition(x >= 0 && x < width && y >= 0 && y < height, "pixel (\(x), \(y)) outside \(width)x\(height)")
            return pixels[y * width + x]
        }
        set {
            precondition(channels == 1, "subscript(x:y:) is for gray images; use subscript(x:y:channel:)")
            precondition(x >= 0 && x < width && y >= 0 && y < height, "pixel (\(x), \(y)) outside \(width)x\(height)")
            pixels[y * width + x] = newValue
        }
    }

    /// The value of channel `channel` at column `x`, row `y`.
    public subscript(x x: Int, y y: Int, channel channel: Int) -> Double {
        get {
            precondition(x >= 0 && x < width && y >= 0 && y < height, "pixel (\(x), \(y)) outside \(width)x\(height)")
            precondition(channel >= 0 && channel < channels, "channel \(channel) of \(channels)")
            return pixels[(y * width + x) * channels + channel]
        }
        set {
            precondition(x >= 0 && x < width && y >= 0 && y < height, "pixel (\(x), \(y)) outside \(width)x\(height)")
            precondition(channel >= 0 && channel < channels, "channel \(channel) of \(channels)")
            pixels[(y * width + x) * channels + channel] = newValue
        }
    }

    /// True when `other` has the same width, height and channel count.
    public func hasSameShape(as other: Image) -> Bool {
        width == other.width && height == other.height && channels == other.channels
    }

    /// Describes the shape, e.g. "28x28 gray" or "451x300 RGB".
    public var shapeDescription: String {
        "\(width)x\(height) \(channels == 1 ? "gray" : "RGB")"
    }
}
