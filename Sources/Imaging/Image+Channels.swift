extension Image {
    /// Channel `c` alone, as a gray image of the same size: pixel (x, y) of the result is
    /// `pixels[(y * width + x) * channels + c]` of this image. Channel 0 of a gray image is
    /// the image itself.
    /// - Throws: `ImageError.invalidParameter` unless 0 ≤ c < channels.
    public func channel(_ c: Int) throws(ImageError) -> Image {
        guard c >= 0, c < channels else {
            throw .invalidParameter("channel \(c) does not exist in a \(shapeDescription) image (channels 0..<\(channels))")
        }
        guard channels > 1 else { return self }
        var out = [Double](repeating: 0, count: pixelCount)
        for i in 0..<pixelCount { out[i] = pixels[i * channels + c] }
        return Image(unchecked: width, height, 1, out)
    }

    /// The image whose channel c is the gray image `channels[c]`: the values interleaved as
    /// `pixels[(y * width + x) * n + c] = channels[c][x, y]`, n = `channels.count`. One image
    /// gives itself (gray), three give an RGB image; `Image(stacking: (0..<n).map(image.channel))`
    /// is `image`.
    /// - Throws: `ImageError.invalidParameter` unless there are 1 or 3 images;
    ///   `.notGray` if one has several channels; `.shapeMismatch` if their sizes differ.
    public init(stacking channels: [Image]) throws(ImageError) {
        guard channels.count == 1 || channels.count == 3 else {
            throw .invalidParameter("an image is stacked from 1 (gray) or 3 (RGB) channels, not \(channels.count)")
        }
        let first = channels[0]
        for (index, channel) in channels.enumerated() {
            guard channel.isGray else {
                throw .notGray(operation: "stacking channel \(index)", channels: channel.channels)
            }
            guard channel.width == first.width, channel.height == first.height else {
                throw .shapeMismatch("channel \(index) is \(channel.shapeDescription), channel 0 is \(first.shapeDescription)")
            }
        }
        let n = channels.count
        var pixels = [Double](repeating: 0, count: first.pixelCount * n)
        for (c, channel) in channels.enumerated() {
            for i in 0..<first.pixelCount { pixels[i * n + c] = channel.pixels[i] }
        }
        self.init(unchecked: first.width, first.height, n, pixels)
    }
}
