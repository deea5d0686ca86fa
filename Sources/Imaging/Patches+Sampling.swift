import LinearAlgebra
import Randomness

/// `count` of the m x m patches of `images` (all of them when there are fewer), drawn
/// uniformly without replacement from the union of their patch sets: every patch of every
/// image is equally likely, so each image contributes in proportion to its
/// (H − m + 1)(W − m + 1) patches. Only the chosen patches are copied, so memory holds the
/// sample, not the patch sets. Rows come in image order, then in patch order.
public func samplePatches(
    _ count: Int, size m: Int, from images: [Image], using generator: inout SeededGenerator
) throws -> Matrix {
    try requirePatchesFit(images, size: m, operation: "patch sampling")
    let counts = images.map { patchCount(width: $0.width, height: $0.height, size: m) }
    let total = counts.reduce(0, +)
    let wanted = min(total, max(count, 0))
    let chosen = generator.sampleIndices(wanted, from: total)
    var sample = Matrix(rows: wanted, columns: m * m)
    sample.storage.withUnsafeMutableBufferPointer { destination in
        var target = destination.baseAddress!
        var start = 0, cursor = 0
        for (image, n) in zip(images, counts) {
            while cursor < chosen.count, chosen[cursor] < start + n {
                copyPatches(of: image, size: m, from: chosen[cursor] - start, count: 1, into: target)
                target += m * m
                cursor += 1
            }
            start += n
        }
    }
    return sample
}
