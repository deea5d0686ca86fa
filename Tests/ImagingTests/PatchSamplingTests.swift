import Imaging
import LinearAlgebra
import PropertyBased
import Randomness
import Testing

/// `samplePatches` draws without replacement from the union of the images' patch sets, in
/// image order then patch order, exactly the rows the index sample names.
@Suite struct PatchSampling {
    @Test func theRowsAreTheSampledPatchesOfTheUnion() async {
        let input = zip(Gen.int(in: 1...4), Gen.int(in: 1...5), Gen.int(in: 0...400), Gen.uint64(in: 0...UInt64.max))
        await propertyCheck(count: 40, input: input) { imageCount, m, count, seed in
            var g = SeededGenerator(seed: seed)
            let images = try (0..<imageCount).map { i in
                try randomIntegerImage(width: m + g.nextInt(below: 8), height: m + g.nextInt(below: 8), seed: seed &+ UInt64(i))
            }
            let union = try extractPatches(from: images, size: m)
            var drawer = SeededGenerator(seed: seed ^ 0x5A5A)
            var reference = drawer
            let sample = try samplePatches(count, size: m, from: images, using: &drawer)
            let expectedRows = reference.sampleIndices(min(count, union.rows), from: union.rows)
            #expect(sample.rows == min(count, union.rows) && sample.columns == m * m)
            #expect(sample == union.rows(expectedRows))
        }
    }

    @Test func badRequestsThrow() throws {
        let image = try randomIntegerImage(width: 4, height: 4, seed: 1)
        var g = SeededGenerator(seed: 1)
        #expect(throws: ImageError.self) { try samplePatches(3, size: 0, from: [image], using: &g) }
        #expect(throws: ImageError.self) { try samplePatches(3, size: 5, from: [image], using: &g) }
    }
}
