extension Image {
    /// ITU-R BT.601 luma weights for (R, G, B).
    public static let bt601Weights: (red: Double, green: Double, blue: Double) = (0.299, 0.587, 0.114)

    /// The gray version of this image: for RGB, each pixel becomes the BT.601 luma
    ///
    ///     gray = 0.299 R + 0.587 G + 0.114 B,
    ///
    /// on whatever scale the image uses (the weights sum to 1, so a constant colour c gives
    /// gray c). A gray image is returned unchanged.
    public func gray() -> Image {
        guard channels == 3 else { return self }
        let (wr, wg, wb) = Image.bt601Weights
        var out = [Double](repeating: 0, count: pixelCount)
        for i in 0..<pixelCount {
            out[i] = wr * pixels[3 * i] + wg * pixels[3 * i + 1] + wb * pixels[3 * i + 2]
        }
        return Image(unchecked: width, height, 1, out)
    }

    /// The RGB version of this image: a gray value v becomes (v, v, v). An RGB image is
    /// returned unchanged.
    public func rgb() -> Image {
        guard channels == 1 else { return self }
        var out = [Double](repeating: 0, count: 3 * pixelCount)
        for i in 0..<pixelCount {
            out[3 * i] = pixels[i]
            out[3 * i + 1] = pixels[i]
            out[3 * i + 2] = pixels[i]
        }
        return Image(unchecked: width, height, 3, out)
    }
}
