import Imaging
import LinearAlgebra
import PropertyBased
import Randomness
import Testing

/// `averagePatchEstimates` against the one-matrix computation it replaces:
/// reassemblePatches(f(extractPatches(images))) image by image.
@Suite struct ChunkedPatchAveraging {
    /// A row-wise nonlinear f: each entry scaled by (1 + its row's sum of squares) and shifted
    /// by its column, so a row moved, mixed with another or reassembled at the wrong place
    /// changes the answer.
    static func rowWise(_ patches: Matrix) -> Matrix {
        var out = patches
        for i in 0..<patches.rows {
            let energy = (0..<patches.columns).reduce(0.0) { $0 + patches[i, $1] * patches[i, $1] } / 1e5
            for j in 0..<patches.columns { out[i, j] = patches[i, j] * (1 + energy) + Double(j) }
        }
        return out
    }

    @Test func equalsTheOneMatrixComputationBitForBit() async {
        let input = zip(Gen.int(in: 1...4), Gen.int(in: 1...5), Gen.int(in: 1...40), Gen.uint64())
        await propertyCheck(count: 40, input: input) { m, imageCount, chunkRows, seed in
            var g = SeededGenerator(seed: seed)
            let images = try (0..<imageCount).map { t in
                try randomIntegerImage(width: m + g.nextInt(below: 7), height: m + g.nextInt(below: 7), seed: seed &+ UInt64(t))
            }
            var calls = 0, reports: [Int] = [], totals = Set<Int>()
            let chunked = try averagePatchEstimates(of: images, size: m, chunkRows: chunkRows, progress: { done, total in
                reports.append(done)
                totals.insert(total)
            }) { chunk in
                calls += 1
                #expect(chunk.rows <= chunkRows && chunk.columns == m * m)
                return Self.rowWise(chunk)
            }
            let all = try Self.rowWise(extractPatches(from: images, size: m))
            var first = 0
            for (image, result) in zip(images, chunked) {
                let count = patchCount(width: image.width, height: image.height, size: m)
                let own = try Matrix(rows: count, columns: m * m,
                                     storage: Array(all.storage[(first * m * m)..<((first + count) * m * m)]))
                first += count
                #expect(result == (try reassemblePatches(own, size: m, width: image.width, height: image.height)))
            }
            #expect(calls == (first + chunkRows - 1) / chunkRows, "every chunk but the last is full")
            // One report per chunk: the patches done so far, of the total.
            #expect(reports == (1...calls).map { min($0 * chunkRows, first) } && totals == [first])
        }
    }

    @Test func theIdentityGivesTheImagesBack() throws {
        let images = try [randomIntegerImage(width: 9, height: 6, seed: 1), randomIntegerImage(width: 5, height: 8, seed: 2)]
        #expect(try averagePatchEstimates(of: images, size: 3, chunkRows: 7) { $0 } == images)
        #expect(try averagePatchEstimates(of: [], size: 3, chunkRows: 7) { $0 }.isEmpty)
    }

    @Test func badInputsThrow() throws {
        let image = try randomIntegerImage(width: 6, height: 5, seed: 3)
        #expect(throws: ImageError.self) { try averagePatchEstimates(of: [image], size: 0, chunkRows: 4) { $0 } }
        #expect(throws: ImageError.self) { try averagePatchEstimates(of: [image], size: 6, chunkRows: 4) { $0 } }
        #expect(throws: ImageError.self) { try averagePatchEstimates(of: [image], size: 2, chunkRows: 0) { $0 } }
        #expect(throws: ImageError.self) { try averagePatchEstimates(of: [image.rgb()], size: 2, chunkRows: 4) { $0 } }
        #expect(throws: ImageError.self) {
            try averagePatchEstimates(of: [image], size: 2, chunkRows: 4) { Matrix(rows: $0.rows, columns: 3) }
        }
    }
}
