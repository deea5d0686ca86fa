/// A PNG file's alpha channel, read beside its colours and written with them.
///
/// The alpha channel is a gray image with values in [0, 1] (0 transparent, 1 opaque), never
/// composited into the colours. PNG files store colour unassociated (not multiplied by
/// alpha); libpng's simplified API hands 16-bit colour with alpha back premultiplied and
/// expects it premultiplied on writing, so for 16-bit data colour level C under alpha level A
/// travels as p = round(C·A / 65535) (see the note on alpha at `PNGFile`). 8-bit data is
/// passed unassociated both ways.
extension PNGFile {
    /// Reads a PNG file as `read(_:as:)` does, with its alpha channel (nil when the file has
    /// none; tRNS transparency, of a palette or a colour key, counts as alpha) and the bit
    /// depth of its samples (16 for 16-bit files, 8 for all others: 1, 2, 4 and 8 bits,
    /// palettes), so that a result can be written back with the alpha and at the depth it
    /// came in.
    /// - Throws: `PNGError` naming the file, as `read(_:as:)` does.
    public static func readWithAlpha(_ path: String, as mode: ColorMode = .native) throws(PNGError)
        -> (image: Image, alpha: Image?, bitDepth: BitDepth)
    {
        let bytes = try fileBytes(path)
        let (image, alpha) = try picture(from: bytes, name: path, as: mode, keepingAlpha: true)
        return (image, alpha, bitDepth(ofDecoded: bytes))
    }

    /// Throws unless `alpha` is one finite channel of `image`'s width and height.
    static func requireAlpha(_ alpha: Image, fitting image: Image, path: String) throws(PNGError) {
        guard alpha.isGray, alpha.width == image.width, alpha.height == image.height else {
            throw .unwritableImage(
                path: path,
                detail: "the alpha channel is \(alpha.shapeDescription) but the image is \(image.shapeDescription): "
                    + "alpha must be one gray channel of \(image.width)x\(image.height) pixels")
        }
        guard alpha.hasOnlyFinitePixels else {
            throw .unwritableImage(path: path, detail: "the \(alpha.shapeDescription) alpha channel has NaN or infinite values")
        }
    }

    /// The samples libpng's writer takes, as levels 0…M (M = 255 or 65535): each value v
    /// clipped to [0, 1] and stored as round(v · M); with alpha, each pixel's colour levels
    /// followed by its alpha level A. For 16-bit data the colour level C is passed
    /// premultiplied, as round(C · A / M), which libpng divides by A again on writing.
    static func sampleLevels(_ image: Image, alpha: Image?, bitDepth: BitDepth) -> [Double] {
        let maximum: Double = bitDepth == .eight ? 255 : 65535
        func level(_ value: Double) -> Double { (min(max(value, 0), 1) * maximum).rounded() }
        guard let alpha else { return image.pixels.map(level) }
        let channels = image.channels
        var samples = [Double]()
        samples.reserveCapacity(image.pixelCount * (channels + 1))
        for pixel in 0..<image.pixelCount {
            let opacity = level(alpha.pixels[pixel])
            for c in 0..<channels {
                let colour = level(image.pixels[pixel * channels + c])
                samples.append(bitDepth == .sixteen ? (colour * opacity / maximum).rounded() : colour)
            }
            samples.append(opacity)
        }
        return samples
    }

    /// The colour samples of a decoded buffer divided by `maximum`, and its alpha samples
    /// divided by `maximum` when `keepingAlpha` (else dropped). When libpng premultiplied the
    /// colour (16-bit data with alpha), each colour sample p under alpha level A is first
    /// restored as C = min(round(p · maximum / A), maximum), and as 0 where A = 0.
    static func separatedSamples<Sample: BinaryInteger>(
        _ buffer: [Sample], colourChannels: Int, hasAlpha: Bool, premultiplied: Bool, maximum: Double,
        keepingAlpha: Bool
    ) -> (colour: [Double], alpha: [Double]?) {
        guard hasAlpha else { return (buffer.map { Double($0) / maximum }, nil) }
        let stride = colourChannels + 1, pixelCount = buffer.count / stride
        var colour = [Double](repeating: 0, count: pixelCount * colourChannels)
        var alpha = keepingAlpha ? [Double](repeating: 0, count: pixelCount) : []
        for pixel in 0..<pixelCount {
            let opacity = Double(buffer[pixel * stride + colourChannels])
            for c in 0..<colourChannels {
                let sample = Double(buffer[pixel * stride + c])
                let level = !premultiplied ? sample
                    : opacity > 0 ? min((sample * maximum / opacity).rounded(), maximum) : 0
                colour[pixel * colourChannels + c] = level / maximum
            }
            if keepingAlpha { alpha[pixel] = opacity / maximum }
        }
        return (colour, keepingAlpha ? alpha : nil)
    }
}
