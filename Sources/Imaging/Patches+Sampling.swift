import LinearAlgebra
import Randomness

/// `count` of the m x m patches of `images` (all of them when there are fewer), drawn
/// uniformly without replacement from the union of their patch sets: every patch of every
/// image is equally likely, so each image contributes in proportion to its
/// (H − m + 1)(W − m + 1) patches. The patch sets are extracted one image at a time, so
/// they never sit in memory together. Rows come in image order, then in patch order.
public func samplePatches(
    _ count: Int, size m: Int, from images: [Image], using generator: inout SeededGenerator
) throws -> Matrix {
    guard m >= 1 else { throw ImageError.invalidParameter("the patch size must be at least 1, not \(m)") }
    for (index, image) in images.enumerated() where m > image.width || m > image.height {
        throw ImageError.invalidParameter("patch size \(m) is larger than image \(index) (\(image.shapeDescription))")
    }
    let counts = images.map { patchCount(width: $0.width, height: $0.height, size: m) }
    let total = counts.reduce(0, +)
    let wanted = min(total, max(count, 0))
    let chosen = generator.sampleIndices(wanted, from: total)
    var storage: [Double] = []
    storage.reserveCapacity(wanted * m * m)
    var start = 0, cursor = 0
    for (image, n) in zip(images, counts) {
        var mine: [Int] = []
        while cursor < chosen.count, chosen[cursor] < start + n {
            mine.append(chosen[cursor] - start)
            cursor += 1
        }
        if !mine.isEmpty { storage += try extractPatches(from: image, size: m).rows(mine).storage }
        start += n
    }
    return try Matrix(rows: wanted, columns: m * m, storage: storage)
}
