import Imaging
import LinearAlgebra
import PropertyBased
import Randomness
import Testing

@Suite struct ImageConstruction {
    @Test func validatesDimensionsAndPixelCount() throws {
        #expect(throws: ImageError.pixelCountMismatch(expected: 6, actual: 5)) {
            try Image(width: 3, height: 2, pixels: [1, 2, 3, 4, 5])
        }
        #expect(throws: ImageError.pixelCountMismatch(expected: 18, actual: 6)) {
            try Image(width: 3, height: 2, channels: 3, pixels: [1, 2, 3, 4, 5, 6])
        }
        #expect(throws: ImageError.invalidDimensions(width: 0, height: 2, channels: 1)) {
            try Image(width: 0, height: 2, pixels: [])
        }
        #expect(throws: ImageError.invalidDimensions(width: 2, height: 2, channels: 2)) {
            try Image(width: 2, height: 2, channels: 2, repeating: 0)
        }
        #expect(throws: ImageError.invalidDimensions(width: Int.max, height: 2, channels: 1)) {
            try Image(width: Int.max, height: 2, repeating: 0)
        }
    }

    @Test func pixelsAreRowMajorWithInterleavedChannels() throws {
        var gray = try Image(width: 3, height: 2, pixels: [0, 1, 2, 3, 4, 5])
        #expect(gray[x: 2, y: 0] == 2)
        #expect(gray[x: 0, y: 1] == 3)
        gray[x: 1, y: 1] = 40
        #expect(gray.pixels == [0, 1, 2, 3, 40, 5])
        let rgb = try Image(width: 2, height: 1, channels: 3, pixels: [1, 2, 3, 4, 5, 6])
        #expect(rgb[x: 1, y: 0, channel: 0] == 4)
        #expect(rgb[x: 0, y: 0, channel: 2] == 3)
        #expect(rgb.shapeDescription == "2x1 RGB")
    }

    @Test func grayMatrixRoundTrip() throws {
        let image = try Image(width: 3, height: 2, pixels: [0, 1, 2, 3, 4, 5])
        let matrix = try image.grayMatrix()
        #expect(matrix.rows == 2 && matrix.columns == 3)
        #expect(matrix[1, 0] == 3)
        #expect(try Image(grayMatrix: matrix) == image)
        #expect(throws: ImageError.notGray(operation: "grayMatrix()", channels: 3)) { try image.rgb().grayMatrix() }
    }
}

@Suite struct ImageColourConversion {
    @Test func grayUsesTheBT601Weights() throws {
        let rgb = try Image(width: 3, height: 1, channels: 3, pixels: [1, 0, 0, 0, 1, 0, 0, 0, 1])
        #expect(rgb.gray().pixels == [0.299, 0.587, 0.114])
        let mixed = try Image(width: 1, height: 1, channels: 3, pixels: [100, 50, 200])
        #expect(mixed.gray().pixels == [0.299 * 100 + 0.587 * 50 + 0.114 * 200])
    }

    @Test func grayOfAGrayImageIsItself() throws {
        let image = try randomUnitImage(width: 5, height: 4, seed: 1)
        #expect(image.gray() == image)
        #expect(image.rgb().rgb() == image.rgb())
    }

    /// The weights sum to one, so a gray image replicated into RGB converts back to itself.
    @Test func grayOfReplicatedGrayIsTheOriginal() async {
        await propertyCheck(count: 30, input: Gen.int(in: 1...12), Gen.int(in: 1...12), Gen.uint64(in: 0...UInt64.max)) {
            width, height, seed in
            let image = try! randomUnitImage(width: width, height: height, seed: seed)
            let back = image.rgb().gray()
            for (a, b) in zip(back.pixels, image.pixels) {
                #expect(abs(a - b) <= 4 * Double.ulpOfOne * max(abs(b), 1e-300))
            }
        }
    }
}

@Suite struct ImageValues {
    @Test func scaledAndClipped() throws {
        let image = try Image(width: 4, height: 1, pixels: [-10, 0, 127.5, 300])
        #expect(image.scaled(by: 2).pixels == [-20, 0, 255, 600])
        #expect(image.clipped(to: 0...255).pixels == [0, 0, 127.5, 255])
        #expect(image.valueRange == -10...300)
    }

    @Test func finiteCheckNamesTheFirstBadPixel() throws {
        let good = try Image(width: 2, height: 2, pixels: [0, 1, 2, 3])
        #expect(good.hasOnlyFinitePixels)
        try good.requireFinitePixels(name: "digit 7")
        let bad = try Image(width: 2, height: 2, channels: 3, pixels: [0, 0, 0, 0, 0, 0, 0, 0, 0, 1, .infinity, .nan])
        #expect(!bad.hasOnlyFinitePixels)
        #expect(throws: ImageError.nonFinitePixel(name: "digit 7", x: 1, y: 1, channel: 1, value: .infinity)) {
            try bad.requireFinitePixels(name: "digit 7")
        }
    }

    @Test func nanIsReportedByTheFiniteCheck() throws {
        let image = try Image(width: 3, height: 1, pixels: [0, .nan, 1])
        do {
            try image.requireFinitePixels(name: "input")
            Issue.record("NaN passed the finite check")
        } catch {
            guard case .nonFinitePixel(let name, let x, let y, let channel, let value) = error else {
                Issue.record("unexpected error \(error)")
                return
            }
            #expect(name == "input" && x == 1 && y == 0 && channel == 0 && value.isNaN)
            #expect(error.description.contains("input"))
        }
    }

    @Test func cropping() throws {
        let image = try Image(width: 4, height: 3, pixels: (0..<12).map(Double.init))
        #expect(try image.cropped(x: 1, y: 1, width: 2, height: 2).pixels == [5, 6, 9, 10])
        #expect(try image.centreCropped(width: 2, height: 1).pixels == [5, 6])
        #expect(try image.cropped(x: 0, y: 0, width: 4, height: 3) == image)
        let rgb = image.rgb()
        #expect(try rgb.cropped(x: 3, y: 2, width: 1, height: 1).pixels == [11, 11, 11])
        #expect(throws: ImageError.self) { try image.cropped(x: 3, y: 0, width: 2, height: 1) }
        #expect(throws: ImageError.self) { try image.cropped(x: 0, y: 0, width: 0, height: 1) }
        #expect(throws: ImageError.self) { try image.centreCropped(width: 5, height: 1) }
    }

    @Test func centreCropOfChelseaIs256Square() throws {
        let chelsea = try PNGFile.read(dataDirectory + "/images/chelsea.png", as: .gray)
        let crop = try chelsea.centreCropped(width: 256, height: 256)
        #expect(crop.width == 256 && crop.height == 256)
        // (451 − 256) / 2 = 97, (300 − 256) / 2 = 22.
        #expect(crop[x: 0, y: 0] == chelsea[x: 97, y: 22])
        #expect(crop[x: 255, y: 255] == chelsea[x: 352, y: 277])
    }
}
