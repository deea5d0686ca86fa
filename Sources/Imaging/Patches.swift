import LinearAlgebra

/// The number of m x m patches, stride 1, in a `width x height` image:
/// (H − m + 1)(W − m + 1); zero when m is larger than the image or below 1.
public func patchCount(width: Int, height: Int, size m: Int) -> Int {
    guard m >= 1, m <= width, m <= height else { return 0 }
    return (height - m + 1) * (width - m + 1)
}

/// All overlapping m x m patches of a gray image, one patch a row:
/// a ((H − m + 1)(W − m + 1)) x m² matrix.
///
/// Patches come in row-major order of their top-left corner (px, py): the top-left patch
/// first, then one pixel to the right, ..., then one row down. Each patch is itself
/// row-major: entry r·m + c of the patch at (px, py) is pixel (px + c, py + r).
/// - Throws: `ImageError` if the image is not gray, or m < 1, or m exceeds its width or height.
public func extractPatches(from image: Image, size m: Int) throws(ImageError) -> Matrix {
    try extractPatches(from: [image], size: m)
}

/// The patches of several gray images stacked: first all patches of `images[0]` (in the
/// order of `extractPatches(from:size:)`), then all of `images[1]`, and so on. The images
/// may differ in size. The patches are copied straight into the matrix's storage, one
/// patch row at a time.
/// - Throws: `ImageError` if an image is not gray or is smaller than m x m, or m < 1.
public func extractPatches(from images: [Image], size m: Int) throws(ImageError) -> Matrix {
    guard m >= 1 else { throw .invalidParameter("the patch size must be at least 1, not \(m)") }
    var total = 0
    for (index, image) in images.enumerated() {
        guard image.isGray else {
            throw .notGray(operation: "patch extraction (image \(index))", channels: image.channels)
        }
        guard m <= image.width, m <= image.height else {
            throw .invalidParameter(
                "patch size \(m) is larger than image \(index) (\(image.shapeDescription))")
        }
        total += patchCount(width: image.width, height: image.height, size: m)
    }
    var patches = Matrix(rows: total, columns: m * m)
    patches.storage.withUnsafeMutableBufferPointer { destination in
        var target = destination.baseAddress!
        for image in images {
            let width = image.width
            image.pixels.withUnsafeBufferPointer { source in
                let pixels = source.baseAddress!
                for py in 0...(image.height - m) {
                    for px in 0...(width - m) {
                        for r in 0..<m {
                            target.update(from: pixels + (py + r) * width + px, count: m)
                            target += m
                        }
                    }
                }
            }
        }
    }
    return patches
}

/// The gray `width x height` image whose every pixel is the average of the estimates of
/// that pixel in all patches covering it:
///
///     x(u, v) = (1 / N(u, v)) Σ_{patches P ∋ (u, v)} P(u − px, v − py),
///
/// where N(u, v) is the number of patches covering (u, v). The rows of `patches` are in the
/// order of `extractPatches(from:size:)`. Hence `reassemblePatches(extractPatches(x))`
/// gives back x (exactly when the sums involved are exact, as for integer pixel values).
/// - Throws: `ImageError` if m < 1, m exceeds the image, or `patches` is not
///   ((H − m + 1)(W − m + 1)) x m².
public func reassemblePatches(_ patches: Matrix, size m: Int, width: Int, height: Int) throws(ImageError) -> Image {
    guard m >= 1, width >= 1, height >= 1, m <= width, m <= height else {
        throw .invalidParameter("patch size \(m) does not fit a \(width)x\(height) image")
    }
    let count = patchCount(width: width, height: height, size: m)
    guard patches.rows == count, patches.columns == m * m else {
        throw .shapeMismatch(
            "a \(width)x\(height) image has \(count) patches of \(m * m) values, "
                + "but the matrix is \(patches.rows)x\(patches.columns)")
    }
    var sums = [Double](repeating: 0, count: width * height)
    var row = 0
    for py in 0...(height - m) {
        for px in 0...(width - m) {
            for r in 0..<m {
                for c in 0..<m {
                    sums[(py + r) * width + px + c] += patches.storage[row * m * m + r * m + c]
                }
            }
            row += 1
        }
    }
    // Pixel (u, v) is covered by the patches with px in max(0, u−m+1)...min(u, W−m), and
    // likewise in y: N(u, v) is the product of the two counts.
    func coverage(_ u: Int, _ size: Int) -> Double {
        Double(min(u, size - m) - max(0, u - m + 1) + 1)
    }
    for v in 0..<height {
        for u in 0..<width {
            sums[v * width + u] /= coverage(u, width) * coverage(v, height)
        }
    }
    return Image(unchecked: width, height, 1, sums)
}
