/// Errors about images held in memory: their shape, their values, and the parameters of the
/// operations on them (patches, blur, noise, metrics). File errors are `IDXError` and
/// `PNGError`.
public enum ImageError: Error, Equatable, CustomStringConvertible {
    /// Width or height below 1, or a channel count other than 1 (gray) or 3 (RGB).
    case invalidDimensions(width: Int, height: Int, channels: Int)
    /// The pixel array does not hold `width * height * channels` values.
    case pixelCountMismatch(expected: Int, actual: Int)
    /// Two images that must have the same shape do not.
    case shapeMismatch(String)
    /// A pixel is NaN or infinite; `name` says which image.
    case nonFinitePixel(name: String, x: Int, y: Int, channel: Int, value: Double)
    /// The operation needs a gray (one-channel) image.
    case notGray(operation: String, channels: Int)
    /// A parameter is out of its valid range (patch size, crop, noise level, peak, ...).
    case invalidParameter(String)
    /// `what` would need `bytes` bytes, more than the machine's `available` bytes of memory.
    case exceedsMemory(what: String, bytes: Int, available: Int)

    public var description: String {
        switch self {
        case .invalidDimensions(let width, let height, let channels):
            return "invalid image dimensions \(width)x\(height) with \(channels) channel(s): "
                + "width and height must be at least 1 and channels 1 (gray) or 3 (RGB)"
        case .pixelCountMismatch(let expected, let actual):
            return "the image needs \(expected) pixel values but \(actual) were given"
        case .shapeMismatch(let what):
            return "image shapes differ: \(what)"
        case .nonFinitePixel(let name, let x, let y, let channel, let value):
            return "\(name) has a non-finite pixel (\(value)) at x = \(x), y = \(y), "
                + "channel \(channel); the data is bad input"
        case .notGray(let operation, let channels):
            return "\(operation) needs a gray image but this one has \(channels) channels; "
                + "convert it with gray() first"
        case .invalidParameter(let what):
            return what
        case .exceedsMemory(let what, let bytes, let available):
            return "\(what) would need \(bytes == Int.max ? "more bytes than can be counted" : gigabytes(bytes)), "
                + "more than this machine's \(gigabytes(available)) of memory"
        }
    }
}
