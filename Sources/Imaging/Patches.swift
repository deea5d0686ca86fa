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
/// - Throws: `ImageError` if an image is not gray or is smaller than m x m, or m < 1, or
///   `.exceedsMemory` if the matrix would not fit in the machine's memory.
public func extractPatches(from images: [Image], size m: Int) throws(ImageError) -> Matrix {
    try requirePatchesFit(images, size: m, operation: "patch extraction")
    let counts = images.map { patchCount(width: $0.width, height: $0.height, size: m) }
    let total = counts.reduce(0, +)
    try requireMemory(for: total, of: 8 * m * m, what: "the \(total) patches of \(m) x \(m) pixels (Double)")
    var patches = Matrix(rows: total, columns: m * m)
    patches.storage.withUnsafeMutableBufferPointer { destination in
        var target = destination.baseAddress!
        for (image, count) in zip(images, counts) {
            copyPatches(of: image, size: m, from: 0, count: count, into: target)
            target += count * m * m
        }
    }
    return patches
}

/// The gray `width x height` image whose every pixel is the average of the estimates of
/// that pixel in all patches covering it:
///
///     x(u, v) = (1 / N(u, v)) Σ_{patches P ∋ (u, v)} P(u − px, v − py),
///
/// where N(u, v) is the number of patches covering (u, v) (`patchCoverage`). The rows of
/// `patches` are in the order of `extractPatches(from:size:)`. Hence
/// `reassemblePatches(extractPatches(x))` gives back x (exactly when the sums involved are
/// exact, as for integer pixel values).
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
    patches.storage.withUnsafeBufferPointer {
        addPatches($0.baseAddress!, size: m, from: 0, count: count, width: width, height: height, into: &sums)
    }
    return averaged(sums, width: width, height: height, size: m)
}

/// N(u, v), the number of m x m patches (stride 1) covering each pixel of a `width x height`
/// image, row-major. Pixel (u, v) is covered by the patches whose corner has
/// px in max(0, u − m + 1)...min(u, W − m), and likewise py, so N(u, v) = c(u, W) · c(v, H)
/// with c(t, n) = min(t, n − m) − max(0, t − m + 1) + 1.
public func patchCoverage(width: Int, height: Int, size m: Int) -> [Double] {
    func count(_ t: Int, _ n: Int) -> Double { Double(min(t, n - m) - max(0, t - m + 1) + 1) }
    var out = [Double](repeating: 0, count: width * height)
    for v in 0..<height {
        for u in 0..<width { out[v * width + u] = count(u, width) * count(v, height) }
    }
    return out
}

/// Throws unless m ≥ 1 and every image is gray and holds at least one m x m patch.
func requirePatchesFit(_ images: [Image], size m: Int, operation: String) throws(ImageError) {
    guard m >= 1 else { throw .invalidParameter("the patch size must be at least 1, not \(m)") }
    for (index, image) in images.enumerated() {
        guard image.isGray else {
            throw .notGray(operation: "\(operation) (image \(index))", channels: image.channels)
        }
        guard m <= image.width, m <= image.height else {
            throw .invalidParameter("patch size \(m) is larger than image \(index) (\(image.shapeDescription))")
        }
    }
}

/// Copies patches `first ..< first + count` of `image` (in extraction order) into `target`,
/// one m²-row after another.
func copyPatches(of image: Image, size m: Int, from first: Int, count: Int, into target: UnsafeMutablePointer<Double>) {
    let width = image.width, columns = width - m + 1
    var target = target
    image.pixels.withUnsafeBufferPointer { source in
        let pixels = source.baseAddress!
        for index in first..<(first + count) {
            let (py, px) = index.quotientAndRemainder(dividingBy: columns)
            for r in 0..<m {
                target.update(from: pixels + (py + r) * width + px, count: m)
                target += m
            }
        }
    }
}

/// Adds the m²-rows at `source`, patches `first ..< first + count` of a `width x height`
/// image, into the pixel sums `sums`: sums(px + c, py + r) += row(r·m + c), patch by patch
/// in extraction order.
func addPatches(
    _ source: UnsafePointer<Double>, size m: Int, from first: Int, count: Int, width: Int, height: Int,
    into sums: inout [Double]
) {
    let columns = width - m + 1
    sums.withUnsafeMutableBufferPointer { out in
        var row = source
        for index in first..<(first + count) {
            let (py, px) = index.quotientAndRemainder(dividingBy: columns)
            for r in 0..<m {
                for c in 0..<m { out[(py + r) * width + px + c] += row[r * m + c] }
            }
            row += m * m
        }
    }
}

/// The image of the pixel sums divided by their coverage N(u, v).
func averaged(_ sums: [Double], width: Int, height: Int, size m: Int) -> Image {
    let coverage = patchCoverage(width: width, height: height, size: m)
    return Image(unchecked: width, height, 1, (0..<sums.count).map { sums[$0] / coverage[$0] })
}
