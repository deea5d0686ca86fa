extension Image {
    /// The `width x height` rectangle whose top-left pixel is (`x`, `y`).
    /// Throws if the rectangle is empty or does not lie inside the image.
    public func cropped(x: Int, y: Int, width cropWidth: Int, height cropHeight: Int)
        throws(ImageError) -> Image
    {
        guard cropWidth >= 1, cropHeight >= 1, x >= 0, y >= 0,
            cropWidth <= width - x, cropHeight <= height - y
        else {
            throw .invalidParameter(
                "crop of \(cropWidth)x\(cropHeight) at (\(x), \(y)) does not fit inside the "
                    + "\(shapeDescription) image")
        }
        var out = [Double]()
        out.reserveCapacity(cropWidth * cropHeight * channels)
        for row in y..<(y + cropHeight) {
            let start = (row * width + x) * channels
            out.append(contentsOf: pixels[start..<(start + cropWidth * channels)])
        }
        return Image(unchecked: cropWidth, cropHeight, channels, out)
    }

    /// The centred `width x height` crop: its top-left corner is at
    /// ((W − width) / 2, (H − height) / 2), rounded down.
    public func centreCropped(width cropWidth: Int, height cropHeight: Int) throws(ImageError) -> Image {
        try cropped(
            x: (width - cropWidth) / 2, y: (height - cropHeight) / 2,
            width: cropWidth, height: cropHeight)
    }
}
