import LinearAlgebra

/// The 3 x 3 binomial blur kernel [[1, 2, 1], [2, 4, 2], [1, 2, 1]] / 16 (the outer product
/// of [1, 2, 1] / 4 with itself; its entries sum to 1).
public let binomialBlurKernel: Matrix = {
    var kernel = Matrix(rows: 3, columns: 3)
    kernel.storage = [1, 2, 1, 2, 4, 2, 1, 2, 1].map { $0 / 16 }
    return kernel
}()

/// The 2-D convolution of each channel with an odd-sized square `kernel`, zero padding,
/// output the same size as the input:
///
///     y(x, v) = Σ_{i, j} K[i, j] · image(x − (j − c), v − (i − c)),   c = (k − 1) / 2,
///
/// with image values outside the picture taken as 0.
/// - Throws: `ImageError.invalidParameter` unless the kernel is k x k with k odd.
public func convolve(_ image: Image, with kernel: Matrix) throws(ImageError) -> Image {
    try checkKernel(kernel)
    return convolution(of: image, with: kernel)
}

/// `convolve(_:with:)` for a kernel already known to be odd-sized and square.
private func convolution(of image: Image, with kernel: Matrix) -> Image {
    let k = kernel.rows
    let centre = (k - 1) / 2
    let (width, height, channels) = (image.width, image.height, image.channels)
    var out = [Double](repeating: 0, count: image.pixels.count)
    for v in 0..<height {
        for x in 0..<width {
            for channel in 0..<channels {
                var sum = 0.0
                for i in 0..<k {
                    let sourceY = v - (i - centre)
                    guard sourceY >= 0, sourceY < height else { continue }
                    for j in 0..<k {
                        let sourceX = x - (j - centre)
                        guard sourceX >= 0, sourceX < width else { continue }
                        sum += kernel[i, j] * image.pixels[(sourceY * width + sourceX) * channels + channel]
                    }
                }
                out[(v * width + x) * channels + channel] = sum
            }
        }
    }
    return Image(unchecked: width, height, channels, out)
}

/// The binomial blur of the protocol: `convolve(image, with: binomialBlurKernel)`
/// (zero padding, same size, each channel separately).
public func binomialBlur(_ image: Image) -> Image {
    convolution(of: image, with: binomialBlurKernel)
}

/// The m² x m² matrix W of the convolution with `kernel` restricted to an m x m patch
/// (zero outside it): for a row-major patch z, W z is `convolve` of z seen as an m x m
/// image. Entry (p, q), with output pixel p = (x, v) and input pixel q = (x', v'), is
/// K[v − v' + c, x − x' + c] when both indices lie in 0..<k, else 0.
/// - Throws: `ImageError.invalidParameter` if m < 1 or the kernel is not odd-sized square.
public func convolutionMatrix(kernel: Matrix, patchSize m: Int) throws(ImageError) -> Matrix {
    try checkKernel(kernel)
    guard m >= 1 else { throw .invalidParameter("the patch size must be at least 1, not \(m)") }
    let k = kernel.rows
    let centre = (k - 1) / 2
    var w = Matrix(rows: m * m, columns: m * m)
    for v in 0..<m {
        for x in 0..<m {
            for i in 0..<k {
                let sourceY = v - (i - centre)
                guard sourceY >= 0, sourceY < m else { continue }
                for j in 0..<k {
                    let sourceX = x - (j - centre)
                    guard sourceX >= 0, sourceX < m else { continue }
                    w[v * m + x, sourceY * m + sourceX] = kernel[i, j]
                }
            }
        }
    }
    return w
}

/// The binomial blur as the m² x m² patch matrix W of the observation model y = W z + n.
/// - Throws: `ImageError.invalidParameter` if m < 1.
public func binomialBlurMatrix(patchSize m: Int) throws(ImageError) -> Matrix {
    try convolutionMatrix(kernel: binomialBlurKernel, patchSize: m)
}

private func checkKernel(_ kernel: Matrix) throws(ImageError) {
    guard kernel.rows == kernel.columns, kernel.rows % 2 == 1 else {
        throw .invalidParameter(
            "a convolution kernel must be square with an odd size, not \(kernel.rows)x\(kernel.columns)")
    }
}
