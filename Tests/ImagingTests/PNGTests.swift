import Foundation
import Imaging
import PropertyBased
import Randomness
import Testing

@Suite struct PNGRoundTrip {
    @Test(arguments: [1, 3]) func eightBitLevelsComeBackExactly(channels: Int) async throws {
        await propertyCheck(count: 20, input: Gen.int(in: 1...20), Gen.int(in: 1...20), Gen.uint64(in: 0...UInt64.max)) {
            width, height, seed in
            let levels = try! randomIntegerImage(width: width, height: height, channels: channels, seed: seed)
            let image = levels.scaled(by: 1.0 / 255)
            let back = try! withTemporaryDirectory { directory in
                let path = directory + "/picture.png"
                try PNGFile.write(image, to: path)
                return try PNGFile.read(path)
            }
            #expect(back == levels.mapPixels { $0 / 255 })
        }
    }

    @Test(arguments: [1, 3]) func sixteenBitLevelsComeBackExactly(channels: Int) async throws {
        await propertyCheck(count: 20, input: Gen.int(in: 1...20), Gen.int(in: 1...20), Gen.uint64(in: 0...UInt64.max)) {
            width, height, seed in
            let levels = try! randomIntegerImage(width: width, height: height, channels: channels, maximum: 65535, seed: seed)
            let back = try! withTemporaryDirectory { directory in
                let path = directory + "/picture.png"
                try PNGFile.write(levels.mapPixels { $0 / 65535 }, to: path, bitDepth: .sixteen)
                return try PNGFile.read(path)
            }
            #expect(back == levels.mapPixels { $0 / 65535 })
        }
    }

    @Test func valuesAreRoundedToTheNearestLevelAndClipped() throws {
        let image = try Image(width: 4, height: 1, pixels: [-0.5, 0.3, 0.999, 7])
        let back = try withTemporaryDirectory { directory in
            let path = directory + "/picture.png"
            try PNGFile.write(image, to: path)
            return try PNGFile.read(path)
        }
        // 0.3 * 255 = 76.5 rounds to 77; 0.999 * 255 = 254.745 rounds to 255.
        #expect(back.pixels == [0, 77.0 / 255, 1, 1])
    }

    @Test func writingReplacesAnExistingFileAndLeavesNoTemporaryFile() throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/picture.png"
            try PNGFile.write(try Image(width: 2, height: 2, repeating: 0), to: path)
            try PNGFile.write(try Image(width: 3, height: 1, repeating: 1), to: path)
            #expect(try PNGFile.read(path) == Image(width: 3, height: 1, repeating: 1))
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["picture.png"])
        }
    }

    @Test func colorModesConvertWithBT601() throws {
        let rgb = try Image(width: 3, height: 1, channels: 3, pixels: [1, 0, 0, 0, 1, 0, 51.0 / 255, 102.0 / 255, 204.0 / 255])
        try withTemporaryDirectory { directory in
            let path = directory + "/colour.png"
            try PNGFile.write(rgb, to: path)
            #expect(try PNGFile.read(path, as: .native) == rgb)
            #expect(try PNGFile.read(path, as: .rgb) == rgb)
            #expect(try PNGFile.read(path, as: .gray) == rgb.gray())
            let gray = try PNGFile.read(path, as: .gray)
            #expect(gray[x: 0, y: 0] == 0.299)
            #expect(gray[x: 1, y: 0] == 0.587)

            let grayPath = directory + "/gray.png"
            try PNGFile.write(gray.mapPixels { ($0 * 255).rounded() / 255 }, to: grayPath)
            let replicated = try PNGFile.read(grayPath, as: .rgb)
            #expect(replicated.channels == 3)
            #expect(replicated == (try PNGFile.read(grayPath)).rgb())
        }
    }

    @Test func nonFiniteValuesAreNotWritten() throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/bad.png"
            #expect(throws: PNGError.unwritableImage(path: path, detail: "the 2x1 gray image has NaN or infinite pixels")) {
                try PNGFile.write(try Image(width: 2, height: 1, pixels: [0, .nan]), to: path)
            }
            #expect(!FileManager.default.fileExists(atPath: path))
        }
    }
}

/// The same picture stored at 8 bits (samples v) and at 16 bits (samples 257 v) must read to
/// the same values v / 255 = 257 v / 65535: the reader must not convert gamma.
@Suite struct PNGBitDepthsAgree {
    private func readBoth(
        _ colorType: RawPNG.ColorType, width: Int, height: Int, samples: [Int],
        sixteenBitSamples: [Int]? = nil
    ) throws -> (Image, Image) {
        try withTemporaryDirectory { directory in
            let eight = directory + "/eight.png"
            let sixteen = directory + "/sixteen.png"
            try writeFile(
                RawPNG.encode(width: width, height: height, colorType: colorType, bitDepth: 8, samples: samples),
                to: eight)
            try writeFile(
                RawPNG.encode(
                    width: width, height: height, colorType: colorType, bitDepth: 16,
                    samples: sixteenBitSamples ?? samples.map { $0 * 257 }),
                to: sixteen)
            return (try PNGFile.read(eight), try PNGFile.read(sixteen))
        }
    }

    /// RGBA samples from RGB samples and one alpha per pixel.
    private func rgbaSamples(colour: [Int], alpha: [Int]) -> [Int] {
        var samples = [Int]()
        for pixel in 0..<alpha.count {
            samples += colour[(3 * pixel)..<(3 * pixel + 3)]
            samples.append(alpha[pixel])
        }
        return samples
    }

    private func randomSamples(_ count: Int, seed: UInt64) -> [Int] {
        var generator = SeededGenerator(seed: seed)
        return (0..<count).map { _ in generator.nextInt(below: 256) }
    }

    @Test func gray() async {
        await propertyCheck(count: 15, input: Gen.int(in: 1...16), Gen.int(in: 1...16), Gen.uint64(in: 0...UInt64.max)) {
            width, height, seed in
            let samples = randomSamples(width * height, seed: seed)
            let (eight, sixteen) = try! readBoth(.gray, width: width, height: height, samples: samples)
            #expect(eight == sixteen)
            #expect(eight.pixels == samples.map { Double($0) / 255 })
            #expect(eight.channels == 1)
        }
    }

    @Test func rgb() async {
        await propertyCheck(count: 15, input: Gen.int(in: 1...16), Gen.int(in: 1...16), Gen.uint64(in: 0...UInt64.max)) {
            width, height, seed in
            let samples = randomSamples(3 * width * height, seed: seed)
            let (eight, sixteen) = try! readBoth(.rgb, width: width, height: height, samples: samples)
            #expect(eight == sixteen)
            #expect(eight.pixels == samples.map { Double($0) / 255 })
            #expect(eight.channels == 3)
        }
    }

    /// Colour with an opaque alpha channel: alpha dropped, colour unchanged at both depths.
    @Test func rgbaOpaque() async {
        await propertyCheck(count: 15, input: Gen.int(in: 1...16), Gen.int(in: 1...16), Gen.uint64(in: 0...UInt64.max)) {
            width, height, seed in
            let colour = randomSamples(3 * width * height, seed: seed)
            let samples = rgbaSamples(colour: colour, alpha: Array(repeating: 255, count: width * height))
            let (eight, sixteen) = try! readBoth(.rgba, width: width, height: height, samples: samples)
            #expect(eight == sixteen)
            #expect(eight.pixels == colour.map { Double($0) / 255 })
        }
    }

    /// Colour with varying alpha: 8-bit colour is exact; 16-bit colour comes back from
    /// libpng premultiplied and is restored to within half a step of 65535 / a plus the
    /// final rounding to a 16-bit level (documented).
    @Test func rgbaTranslucent() async {
        await propertyCheck(count: 15, input: Gen.int(in: 1...16), Gen.int(in: 1...16), Gen.uint64(in: 0...UInt64.max)) {
            width, height, seed in
            let colour = randomSamples(3 * width * height, seed: seed)
            let alpha = randomSamples(width * height, seed: seed &+ 1).map { max($0, 1) }
            let samples = rgbaSamples(colour: colour, alpha: alpha)
            let (eight, sixteen) = try! readBoth(.rgba, width: width, height: height, samples: samples)
            #expect(eight.pixels == colour.map { Double($0) / 255 })
            for pixel in 0..<(width * height) {
                let bound = 0.5 / (257 * Double(alpha[pixel])) + 0.5 / 65535 + 1e-12
                for c in 0..<3 {
                    #expect(abs(sixteen.pixels[3 * pixel + c] - eight.pixels[3 * pixel + c]) <= bound)
                }
            }
        }
    }

    @Test func grayWithAlpha() throws {
        let samples = [0, 255, 17, 128, 200, 1, 255, 255]
        let (eight, sixteen) = try readBoth(.grayAlpha, width: 2, height: 2, samples: samples,
                                            sixteenBitSamples: samples.enumerated().map { $0.offset % 2 == 0 ? $0.element * 257 : 65535 })
        #expect(eight.channels == 1)
        #expect(eight.pixels == [0, 17, 200, 255].map { Double($0) / 255 })
        #expect(sixteen == eight)
    }

    @Test(arguments: [1, 2, 4]) func lowBitDepthGrayIsScaledToTheFullRange(bitDepth: Int) throws {
        let maximum = (1 << bitDepth) - 1
        let samples = (0..<15).map { $0 % (maximum + 1) }
        let image = try withTemporaryDirectory { directory in
            let path = directory + "/low.png"
            try writeFile(
                RawPNG.encode(width: 5, height: 3, colorType: .gray, bitDepth: bitDepth, samples: samples), to: path)
            return try PNGFile.read(path)
        }
        #expect(image.width == 5 && image.height == 3 && image.channels == 1)
        // libpng replicates the bits up to 8 bits: v becomes v · 255 / (2^depth − 1).
        #expect(image.pixels == samples.map { Double($0 * (255 / maximum)) / 255 })
    }

    @Test func paletteReadsAsItsColours() throws {
        let palette = [[10, 20, 30], [255, 0, 128], [7, 7, 7]]
        let indices = [0, 1, 2, 1, 0, 2]
        let image = try withTemporaryDirectory { directory in
            let path = directory + "/palette.png"
            try writeFile(
                RawPNG.encode(width: 3, height: 2, colorType: .palette, bitDepth: 8, samples: indices, palette: palette),
                to: path)
            return try PNGFile.read(path)
        }
        #expect(image.channels == 3)
        #expect(image.pixels == indices.flatMap { palette[$0] }.map { Double($0) / 255 })
    }

    @Test func paletteWithTransparencyKeepsItsColours() throws {
        let palette = [[10, 20, 30], [255, 0, 128]]
        let indices = [0, 1, 1, 0]
        let image = try withTemporaryDirectory { directory in
            let path = directory + "/palette.png"
            try writeFile(
                RawPNG.encode(
                    width: 2, height: 2, colorType: .palette, bitDepth: 8, samples: indices,
                    palette: palette, paletteAlpha: [0, 100]),
                to: path)
            return try PNGFile.read(path)
        }
        #expect(image.pixels == indices.flatMap { palette[$0] }.map { Double($0) / 255 })
    }
}

@Suite struct PNGErrors {
    @Test func missingFile() {
        #expect(throws: PNGError.fileNotFound(path: "/nonexistent/picture.png")) {
            try PNGFile.read("/nonexistent/picture.png")
        }
    }

    @Test func directory() throws {
        try withTemporaryDirectory { directory in
            #expect(throws: PNGError.isDirectory(path: directory)) { try PNGFile.read(directory) }
        }
    }

    @Test func notAPNG() throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/text.png"
            try writeFile(Array("just some text, not an image".utf8), to: path)
            #expect(throws: PNGError.notPNG(path: path)) { try PNGFile.read(path) }
            let empty = directory + "/empty.png"
            try writeFile([], to: empty)
            #expect(throws: PNGError.notPNG(path: empty)) { try PNGFile.read(empty) }
        }
    }

    /// A decoding failure names the file and carries libpng's (non-empty) message.
    private func expectDecodingFailure(_ bytes: [UInt8]) throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/damaged.png"
            try writeFile(bytes, to: path)
            do {
                _ = try PNGFile.read(path)
                Issue.record("reading a damaged file succeeded")
            } catch let error as PNGError {
                guard case .decodingFailed(let failedPath, let message) = error else {
                    Issue.record("unexpected error \(error)")
                    return
                }
                #expect(failedPath == path)
                #expect(!message.isEmpty)
                #expect(error.description.contains(path))
                #expect(error.description.contains(message))
            }
        }
    }

    private func validFile() throws -> [UInt8] {
        try withTemporaryDirectory { directory in
            let path = directory + "/valid.png"
            try PNGFile.write(try randomUnitImage(width: 40, height: 30, channels: 3, seed: 5), to: path)
            return try readFile(path)
        }
    }

    /// A file cut inside a chunk: the chunk is reported before libpng reads anything.
    @Test func truncatedFiles() throws {
        let bytes = try validFile()
        try withTemporaryDirectory { directory in
            let path = directory + "/cut.png"
            try writeFile(Array(bytes.prefix(bytes.count / 2)), to: path)
            do {
                _ = try PNGFile.read(path)
                Issue.record("reading a truncated file succeeded")
            } catch let error as PNGError {
                guard case .truncated(path, let offset, "IDAT", let needed, let available) = error else {
                    Issue.record("unexpected error \(error)")
                    return
                }
                #expect(offset + available == bytes.count / 2 && needed > available)
                #expect(error.description.contains(path))
            }
        }
        // Inside the IHDR chunk (bytes 8..<33).
        #expect(throws: PNGError.truncated(path: "cut", offset: 8, chunk: "IHDR", needed: 25, available: 12)) {
            try PNGFile.read(from: Array(bytes.prefix(20)), name: "cut")
        }
        // Inside a chunk header.
        #expect(throws: PNGError.truncated(path: "cut", offset: 8, chunk: nil, needed: 8, available: 3)) {
            try PNGFile.read(from: Array(bytes.prefix(11)), name: "cut")
        }
    }

    @Test func corruptData() throws {
        var bytes = try validFile()
        // Damage the middle of the compressed image data: the chunk CRC no longer matches.
        for i in (bytes.count / 2)..<(bytes.count / 2 + 8) { bytes[i] ^= 0x5a }
        try expectDecodingFailure(bytes)
    }

    @Test func headerClaimingMorePixelsThanTheFileHolds() throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/huge.png"
            try writeFile(RawPNG.encodeClaimingSize(width: 1_000_000, height: 1_000_000), to: path)
            #expect(throws: PNGError.implausibleSize(path: path, width: 1_000_000, height: 1_000_000)) {
                try PNGFile.read(path)
            }
        }
    }

    @Test func writingIntoAMissingDirectoryFails() throws {
        let path = "/nonexistent-directory/picture.png"
        #expect(throws: PNGError.self) { try PNGFile.write(try Image(width: 1, height: 1), to: path) }
    }
}

@Suite struct Photographs {
    @Test(arguments: [
        ("camera.png", 512, 512, 1),
        ("astronaut.png", 512, 512, 3),
        ("coffee.png", 600, 400, 3),
        ("chelsea.png", 451, 300, 3),
    ])
    func readWithTheExpectedSize(name: String, width: Int, height: Int, channels: Int) throws {
        let image = try PNGFile.read(dataDirectory + "/images/" + name)
        #expect(image.width == width)
        #expect(image.height == height)
        #expect(image.channels == channels)
        #expect(image.valueRange.lowerBound >= 0 && image.valueRange.upperBound <= 1)
        // Values are 8-bit levels divided by 255.
        #expect(image.pixels.allSatisfy { ($0 * 255).rounded() / 255 == $0 })
        let gray = try PNGFile.read(dataDirectory + "/images/" + name, as: .gray)
        #expect(gray == image.gray())
    }
}

/// `readWithAlpha` tells 16-bit files from all others, and reads the same image as `read`.
@Suite struct PNGStoredBitDepth {
    @Test(arguments: [(RawPNG.ColorType.gray, 1), (.gray, 2), (.gray, 4), (.gray, 8), (.gray, 16), (.rgb, 8), (.rgb, 16)])
    func bitDepthIsSixteenOnlyForSixteenBitFiles(colorType: RawPNG.ColorType, depth: Int) throws {
        let channels = colorType == .rgb ? 3 : 1
        var generator = SeededGenerator(seed: UInt64(depth))
        let samples = (0..<(5 * 4 * channels)).map { _ in generator.nextInt(below: 1 << depth) }
        try withTemporaryDirectory { directory in
            let path = directory + "/picture.png"
            try writeFile(RawPNG.encode(width: 5, height: 4, colorType: colorType, bitDepth: depth, samples: samples), to: path)
            let (image, alpha, bitDepth) = try PNGFile.readWithAlpha(path)
            #expect(alpha == nil)
            #expect(bitDepth == (depth == 16 ? .sixteen : .eight))
            #expect(image == (try PNGFile.read(path)))
        }
    }

    @Test func errorsNameTheFile() throws {
        #expect(throws: PNGError.fileNotFound(path: "/nonexistent/x.png")) { try PNGFile.readWithAlpha("/nonexistent/x.png") }
    }
}
