import LinearAlgebra

/// Patch averaging in bounded memory: for each gray image xₜ,
///
///     x̄ₜ(u) = (1 / Nₜ(u)) Σ_{patches Pᵢ ∋ u} f(Pᵢ xₜ)(u),
///
/// where f maps a matrix of patches (one m²-row each) to estimates of the same shape, row by
/// row. The patches of all images, in the order of `extractPatches(from:size:)`, are handed
/// to f in chunks of at most `chunkRows` rows (a chunk may span several small images, so
/// small images are still batched); each chunk's estimates are added into the images' pixel
/// sums at once. Memory holds one chunk, not every patch: a 12-megapixel photograph has
/// 12 million 8 x 8 patches, 6 GB as one matrix.
///
/// When f treats rows independently, the result equals
/// `reassemblePatches(f(extractPatches(images)))` image by image, bit for bit: the sums run
/// patch by patch in the same order.
/// `progress`, when given, is called after every chunk with the number of patches done and
/// the total.
/// - Throws: `ImageError` if m < 1, `chunkRows` < 1, an image is not gray or smaller than
///   m x m, or f returns a matrix of the wrong shape; and whatever f throws.
public func averagePatchEstimates(
    of images: [Image], size m: Int, chunkRows: Int, progress: ((_ done: Int, _ total: Int) -> Void)? = nil,
    _ estimate: (Matrix) throws -> Matrix
) throws -> [Image] {
    try requirePatchesFit(images, size: m, operation: "patch averaging")
    guard chunkRows >= 1 else { throw ImageError.invalidParameter("a chunk must hold at least one patch, not \(chunkRows)") }
    let d = m * m
    let counts = images.map { patchCount(width: $0.width, height: $0.height, size: m) }
    let total = counts.reduce(0, +)
    var sums = images.map { [Double](repeating: 0, count: $0.pixelCount) }
    var done = 0
    var image = 0, first = 0  // the next patch to hand out: patch `first` of images[image]
    while image < images.count {
        // The spans (image, first patch, count) that make up this chunk.
        var spans: [(image: Int, first: Int, count: Int)] = []
        var rows = 0
        while rows < chunkRows, image < images.count {
            let take = min(chunkRows - rows, counts[image] - first)
            spans.append((image, first, take))
            rows += take
            first += take
            if first == counts[image] { image += 1; first = 0 }
        }
        var chunk = Matrix(rows: rows, columns: d)
        chunk.storage.withUnsafeMutableBufferPointer { destination in
            var target = destination.baseAddress!
            for span in spans {
                copyPatches(of: images[span.image], size: m, from: span.first, count: span.count, into: target)
                target += span.count * d
            }
        }
        let estimates = try estimate(chunk)
        guard estimates.rows == rows, estimates.columns == d else {
            throw ImageError.shapeMismatch(
                "the estimates of \(rows) patches of \(d) values came back \(estimates.rows)x\(estimates.columns)")
        }
        estimates.storage.withUnsafeBufferPointer { source in
            var row = source.baseAddress!
            for span in spans {
                let target = images[span.image]
                addPatches(row, size: m, from: span.first, count: span.count, width: target.width, height: target.height,
                           into: &sums[span.image])
                row += span.count * d
            }
        }
        done += rows
        progress?(done, total)
    }
    return zip(images, sums).map { averaged($1, width: $0.width, height: $0.height, size: m) }
}
