import Imaging
import LinearAlgebra
import PropertyBased
import Randomness
import Testing

/// Random (width, height, m, seed) with 1 ≤ m ≤ min(width, height).
private let imageAndPatchSize = zip(Gen.int(in: 1...12), Gen.int(in: 1...12), Gen.int(in: 0...1000), Gen.uint64(in: 0...UInt64.max))
    .map { width, height, pick, seed in (width, height, 1 + pick % min(width, height), seed) }

@Suite struct PatchExtraction {
    @Test func countAndShape() async {
        await propertyCheck(count: 60, input: imageAndPatchSize) { width, height, m, seed in
            let image = try! randomIntegerImage(width: width, height: height, seed: seed)
            let patches = try! extractPatches(from: image, size: m)
            #expect(patches.rows == (height - m + 1) * (width - m + 1))
            #expect(patches.rows == patchCount(width: width, height: height, size: m))
            #expect(patches.columns == m * m)
        }
    }

    /// Row k is the patch with top-left corner (k mod (W−m+1), k div (W−m+1)); entry r·m + c
    /// is pixel (px + c, py + r).
    @Test func patchOrderAndLayoutFollowTheProtocol() async {
        await propertyCheck(count: 60, input: imageAndPatchSize) { width, height, m, seed in
            let image = try! randomIntegerImage(width: width, height: height, seed: seed)
            let patches = try! extractPatches(from: image, size: m)
            let across = width - m + 1
            for k in 0..<patches.rows {
                let (px, py) = (k % across, k / across)
                for r in 0..<m {
                    for c in 0..<m where patches[k, r * m + c] != image[x: px + c, y: py + r] {
                        Issue.record("patch \(k) entry \(r * m + c) differs")
                    }
                }
            }
        }
    }

    @Test func smallExample() throws {
        let image = try Image(width: 3, height: 3, pixels: (1...9).map(Double.init))
        let patches = try extractPatches(from: image, size: 2)
        #expect(patches.storage == [1, 2, 4, 5, 2, 3, 5, 6, 4, 5, 7, 8, 5, 6, 8, 9])
    }

    @Test func batchedEqualsStackedSingleExtractions() async {
        await propertyCheck(count: 30, input: Gen.int(in: 1...4), Gen.int(in: 1...3), Gen.uint64(in: 0...UInt64.max)) {
            count, m, seed in
            var generator = SeededGenerator(seed: seed)
            let images = (0..<count).map { index in
                try! randomIntegerImage(
                    width: m + generator.nextInt(below: 6), height: m + generator.nextInt(below: 6),
                    seed: seed &+ UInt64(index))
            }
            let batched = try! extractPatches(from: images, size: m)
            let stacked = images.flatMap { try! extractPatches(from: $0, size: m).storage }
            #expect(batched.columns == m * m)
            #expect(batched.storage == stacked)
        }
    }

    @Test func invalidRequests() throws {
        let image = try Image(width: 5, height: 4)
        #expect(throws: ImageError.invalidParameter("the patch size must be at least 1, not 0")) {
            try extractPatches(from: image, size: 0)
        }
        #expect(throws: ImageError.invalidParameter("patch size 5 is larger than image 0 (5x4 gray)")) {
            try extractPatches(from: image, size: 5)
        }
        #expect(throws: ImageError.notGray(operation: "patch extraction (image 1)", channels: 3)) {
            try extractPatches(from: [image, image.rgb()], size: 2)
        }
        #expect(try extractPatches(from: [Image](), size: 3).rows == 0)
        #expect(patchCount(width: 5, height: 4, size: 5) == 0)
    }
}

@Suite struct PatchReassembly {
    /// With integer pixels every sum is exact, so averaging k copies of a value returns it.
    @Test func reassemblingExtractedPatchesGivesTheImageExactly() async {
        await propertyCheck(count: 60, input: imageAndPatchSize) { width, height, m, seed in
            let image = try! randomIntegerImage(width: width, height: height, seed: seed)
            let patches = try! extractPatches(from: image, size: m)
            #expect(try! reassemblePatches(patches, size: m, width: width, height: height) == image)
        }
    }

    /// With arbitrary reals the average of k equal values is the value up to rounding.
    @Test func reassemblyOfRealImagesIsAccurate() async {
        await propertyCheck(count: 40, input: imageAndPatchSize) { width, height, m, seed in
            let image = try! randomUnitImage(width: width, height: height, seed: seed)
            let back = try! reassemblePatches(extractPatches(from: image, size: m), size: m, width: width, height: height)
            for (a, b) in zip(back.pixels, image.pixels) {
                // Summing up to m² copies and dividing: error ≤ m² ulps of the value.
                #expect(abs(a - b) <= Double(m * m) * Double.ulpOfOne * b)
            }
        }
    }

    /// Each pixel is the mean of its estimates in all covering patches: compare with a
    /// direct loop over patches, giving patch k the constant value k.
    @Test func everyPixelIsTheMeanOfTheCoveringPatches() async {
        await propertyCheck(count: 40, input: imageAndPatchSize) { width, height, m, _ in
            let count = patchCount(width: width, height: height, size: m)
            var patches = Matrix(rows: count, columns: m * m)
            for k in 0..<count { patches.setRow(k, to: Array(repeating: Double(k), count: m * m)) }
            let image = try! reassemblePatches(patches, size: m, width: width, height: height)
            let across = width - m + 1
            for y in 0..<height {
                for x in 0..<width {
                    let covering = (0..<count).filter { k in
                        let (px, py) = (k % across, k / across)
                        return (px...(px + m - 1)).contains(x) && (py...(py + m - 1)).contains(y)
                    }
                    let mean = Double(covering.reduce(0, +)) / Double(covering.count)
                    #expect(abs(image[x: x, y: y] - mean) <= 1e-12 * max(mean, 1))
                }
            }
        }
    }

    @Test func wrongShapesAreRejected() throws {
        let patches = Matrix(rows: 6, columns: 4)
        #expect(try reassemblePatches(patches, size: 2, width: 4, height: 3).width == 4)
        #expect(throws: ImageError.shapeMismatch(
            "a 3x3 image has 4 patches of 4 values, but the matrix is 6x4")) {
            try reassemblePatches(patches, size: 2, width: 3, height: 3)
        }
        #expect(throws: ImageError.self) { try reassemblePatches(patches, size: 5, width: 4, height: 3) }
        #expect(throws: ImageError.self) { try reassemblePatches(patches, size: 0, width: 4, height: 3) }
    }
}
