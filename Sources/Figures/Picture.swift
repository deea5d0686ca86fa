/// A gray image to draw: `pixels[row * width + column]`, row 0 at the top.
///
/// It is shown black at `displayRange.lowerBound` and white at `displayRange.upperBound`,
/// linearly in between; values outside the range show as black or white. MNIST digits
/// (0 = background, 255 = ink) with the default range 0...255 show white ink on black.
public struct GrayImage: Sendable, Equatable {
    public var width: Int
    public var height: Int
    public var pixels: [Double]
    public var displayRange: ClosedRange<Double>
    /// Whether NaN marks pixels left undrawn (the white page shows), e.g. the points of a
    /// rectangular raster outside a triangle. When false a NaN pixel is an error.
    public var nanIsBlank: Bool

    public init(width: Int, height: Int, pixels: [Double], displayRange: ClosedRange<Double> = 0...255,
                nanIsBlank: Bool = false) {
        self.width = width
        self.height = height
        self.pixels = pixels
        self.displayRange = displayRange
        self.nanIsBlank = nanIsBlank
    }
}

/// A colour image to draw: `pixels[(row * width + column) * 3 + channel]`, channels red,
/// green, blue, each in 0...1; row 0 at the top.
public struct RGBImage: Sendable, Equatable {
    public var width: Int
    public var height: Int
    public var pixels: [Double]

    public init(width: Int, height: Int, pixels: [Double]) {
        self.width = width
        self.height = height
        self.pixels = pixels
    }
}

/// A gray or colour image, as one cell of a grid or the subject of an annotated figure.
public enum Picture: Sendable, Equatable {
    case gray(GrayImage)
    case rgb(RGBImage)

    public var width: Int {
        switch self {
        case .gray(let image): return image.width
        case .rgb(let image): return image.width
        }
    }

    public var height: Int {
        switch self {
        case .gray(let image): return image.height
        case .rgb(let image): return image.height
        }
    }
}
