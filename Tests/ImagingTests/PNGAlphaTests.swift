import Foundation
import Imaging
import PropertyBased
import Randomness
import Testing

/// A random picture of integer levels 0…maximum divided by maximum: `channels` colour
/// channels and an alpha channel in which about a quarter of the pixels are fully transparent
/// (0), a quarter opaque (1) and the rest uniform, so every image of a few pixels has both.
private func randomPicture(width: Int, height: Int, channels: Int, maximum: Int, seed: UInt64) throws
    -> (image: Image, alpha: Image)
{
    var generator = SeededGenerator(seed: seed)
    let top = Double(maximum)
    let colour = (0..<(width * height * channels)).map { _ in Double(generator.nextInt(below: maximum + 1)) / top }
    let alpha = (0..<(width * height)).map { _ -> Double in
        switch generator.nextInt(below: 4) {
        case 0: return 0
        case 1: return 1
        default: return Double(generator.nextInt(below: maximum + 1)) / top
        }
    }
    return (try Image(width: width, height: height, channels: channels, pixels: colour),
            try Image(width: width, height: height, pixels: alpha))
}

/// The PNG colour type a file declares (IHDR byte 25): 0 gray, 2 RGB, 4 gray + alpha, 6 RGBA.
private func colourType(_ path: String) throws -> UInt8 { try readFile(path)[25] }

/// `PNGFile.write(_:alpha:to:bitDepth:)` and `PNGFile.readWithAlpha`: alpha is stored and read
/// exactly, colour exactly at 8 bits and within the premultiplication's tolerance at 16 bits.
@Suite struct PNGAlphaRoundTrip {
    /// 8 bits: colour and alpha come back exactly, even under alpha 0; the file is gray +
    /// alpha or RGBA; `read` of the same file returns the colour channels alone.
    @Test(arguments: [1, 3]) func eightBitColourAndAlphaComeBackExactly(channels: Int) async {
        await propertyCheck(count: 20, input: Gen.int(in: 1...20), Gen.int(in: 1...20), Gen.uint64(in: 0...UInt64.max)) {
            width, height, seed in
            let (image, alpha) = try! randomPicture(width: width, height: height, channels: channels, maximum: 255, seed: seed)
            try! withTemporaryDirectory { directory in
                let path = directory + "/picture.png"
                try PNGFile.write(image, alpha: alpha, to: path)
                let back = try PNGFile.readWithAlpha(path)
                #expect(back.alpha == alpha)
                #expect(back.image == image)
                #expect(back.bitDepth == .eight)
                #expect(try colourType(path) == (channels == 1 ? 4 : 6))
                #expect(try PNGFile.read(path) == image)
                #expect(try PNGFile.readWithAlpha(path, as: .gray).image == image.gray())
                #expect(try PNGFile.readWithAlpha(path, as: .gray).alpha == alpha)
            }
        }
    }

    /// 16 bits: alpha comes back exactly. libpng takes and gives colour premultiplied: colour
    /// level C under alpha level A travels as p = round(C·A / 65535) (the writer's rounding),
    /// which libpng divides on writing (C′, rounded with a 15-bit reciprocal of A: within
    /// 1/2 + p / 2¹⁶ < 1 of p·65535 / A) and multiplies again on reading
    /// (p′ = round(C′·A / 65535)); the reader returns round(p′·65535 / A). For A ≤ 32768,
    /// |C′·A / 65535 − p| < 1/2, so p′ = p and the error is at most 1/2 + 65535 / (2A); for
    /// larger A a step 65535 / A is below 2 and p′ may be p ± 1, which adds one step.
    /// Either way |read − C| ≤ 65535 / (2A) + 2.5 levels (over all A with 90 random C each
    /// the largest excess measured was 1.5). Opaque colour (A = 65535) is exact; the colour of
    /// a fully transparent pixel reads as 0.
    @Test(arguments: [1, 3]) func sixteenBitAlphaIsExactAndColourWithinTheTolerance(channels: Int) async {
        await propertyCheck(count: 20, input: Gen.int(in: 1...20), Gen.int(in: 1...20), Gen.uint64(in: 0...UInt64.max)) {
            width, height, seed in
            let (image, alpha) = try! randomPicture(width: width, height: height, channels: channels, maximum: 65535, seed: seed)
            try! withTemporaryDirectory { directory in
                let path = directory + "/picture.png"
                try PNGFile.write(image, alpha: alpha, to: path, bitDepth: .sixteen)
                let back = try PNGFile.readWithAlpha(path)
                #expect(back.alpha == alpha)
                #expect(back.bitDepth == .sixteen)
                #expect(back.image.channels == channels)
                #expect(try colourType(path) == (channels == 1 ? 4 : 6))
                #expect(try PNGFile.read(path) == back.image)
                for pixel in 0..<image.pixelCount {
                    let level = (alpha.pixels[pixel] * 65535).rounded()
                    for c in 0..<channels {
                        let written = image.pixels[pixel * channels + c], read = back.image.pixels[pixel * channels + c]
                        if level == 0 {
                            #expect(read == 0, "a fully transparent pixel's colour reads as 0")
                        } else if level == 65535 {
                            #expect(read == written, "opaque colour is exact")
                        } else {
                            let tolerance = (65535 / (2 * level) + 2.5) / 65535
                            #expect(abs(read - written) <= tolerance, "alpha level \(level): \(read) against \(written)")
                        }
                    }
                }
            }
        }
    }

    /// Alpha read from files of an independent encoder (RawPNG): gray + alpha and RGBA at 8
    /// and 16 bits give the stored alpha samples exactly, and 8-bit colour exactly.
    @Test(arguments: [RawPNG.ColorType.grayAlpha, .rgba], [8, 16])
    func alphaIsReadAsStored(type: RawPNG.ColorType, bitDepth: Int) async {
        await propertyCheck(count: 10, input: Gen.int(in: 1...12), Gen.int(in: 1...12), Gen.uint64(in: 0...UInt64.max)) {
            width, height, seed in
            let maximum = (1 << bitDepth) - 1
            var generator = SeededGenerator(seed: seed)
            let samples = (0..<(width * height * type.channels)).map { _ in generator.nextInt(below: maximum + 1) }
            let back = try! withTemporaryDirectory { directory in
                let path = directory + "/picture.png"
                try writeFile(RawPNG.encode(width: width, height: height, colorType: type, bitDepth: bitDepth, samples: samples),
                              to: path)
                return try PNGFile.readWithAlpha(path)
            }
            let colourChannels = type.channels - 1
            let stored = samples.enumerated().filter { $0.offset % type.channels == colourChannels }.map(\.element)
            #expect(back.alpha?.pixels == stored.map { Double($0) / Double(maximum) })
            #expect(back.image.channels == colourChannels)
            if bitDepth == 8 {
                let colour = samples.enumerated().filter { $0.offset % type.channels != colourChannels }.map(\.element)
                #expect(back.image.pixels == colour.map { Double($0) / 255 })
            }
        }
    }

    /// Without alpha nothing changes: a file written without it has none, and reads with none.
    @Test(arguments: [1, 3]) func noAlphaWrittenNoneRead(channels: Int) throws {
        let image = try randomUnitImage(width: 5, height: 4, channels: channels, seed: 7)
        try withTemporaryDirectory { directory in
            let path = directory + "/picture.png"
            try PNGFile.write(image, alpha: nil, to: path)
            let back = try PNGFile.readWithAlpha(path)
            #expect(back.alpha == nil)
            #expect(back.image == (try PNGFile.read(path)))
            #expect(try colourType(path) == (channels == 1 ? 0 : 2))
        }
    }

    /// A palette's tRNS transparencies are its alpha (entries past the tRNS list are opaque).
    @Test func paletteTransparencyIsReadAsAlpha() throws {
        let palette = [[10, 20, 30], [255, 0, 128], [7, 7, 7]]
        let indices = [0, 1, 2, 1, 0, 2]
        let back = try withTemporaryDirectory { directory in
            let path = directory + "/palette.png"
            try writeFile(RawPNG.encode(width: 3, height: 2, colorType: .palette, bitDepth: 8, samples: indices,
                                        palette: palette, paletteAlpha: [0, 100]), to: path)
            return try PNGFile.readWithAlpha(path)
        }
        #expect(back.image.pixels == indices.flatMap { palette[$0] }.map { Double($0) / 255 })
        #expect(back.alpha?.pixels == indices.map { [0, 100, 255][$0] }.map { Double($0) / 255 })
    }
}

@Suite struct PNGAlphaErrors {
    /// An alpha channel of another size, or with several channels, is refused before anything
    /// is written, with a message naming both shapes.
    @Test(arguments: [(4, 3, 1), (5, 2, 1), (5, 3, 3)])
    func anAlphaOfAnotherShapeIsAnError(width: Int, height: Int, channels: Int) throws {
        let image = try Image(width: 5, height: 3, channels: 3, repeating: 0.5)
        let alpha = try Image(width: width, height: height, channels: channels, repeating: 1)
        try withTemporaryDirectory { directory in
            let path = directory + "/picture.png"
            let kind = channels == 1 ? "gray" : "RGB"
            #expect(throws: PNGError.unwritableImage(
                path: path,
                detail: "the alpha channel is \(width)x\(height) \(kind) but the image is 5x3 RGB: "
                    + "alpha must be one gray channel of 5x3 pixels")) {
                try PNGFile.write(image, alpha: alpha, to: path)
            }
            #expect(!FileManager.default.fileExists(atPath: path))
        }
    }

    @Test func aNonFiniteAlphaIsAnError() throws {
        let image = try Image(width: 2, height: 1, repeating: 0.5)
        try withTemporaryDirectory { directory in
            let path = directory + "/picture.png"
            #expect(throws: PNGError.unwritableImage(path: path, detail: "the 2x1 gray alpha channel has NaN or infinite values")) {
                try PNGFile.write(image, alpha: try Image(width: 2, height: 1, pixels: [1, .nan]), to: path, bitDepth: .sixteen)
            }
            #expect(!FileManager.default.fileExists(atPath: path))
        }
    }
}
