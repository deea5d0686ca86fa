import Imaging
import PropertyBased
import Randomness
import Testing

/// The opponent colour transform (`Image.opponentChannels()`): O orthonormal, an
/// exact inverse, white noise kept white, gray images without chroma.
@Suite struct OpponentColour {
    /// O Oᵀ = I, entry by entry, to rounding.
    @Test func theMatrixIsOrthonormal() {
        let o = Image.opponentMatrix
        for i in 0..<3 {
            for j in 0..<3 {
                let dot = (0..<3).reduce(0.0) { $0 + o[i][$1] * o[j][$1] }
                #expect(abs(dot - (i == j ? 1 : 0)) < 1e-15, "(O Oᵀ)[\(i)][\(j)] = \(dot)")
            }
        }
    }

    /// The rows of O on the primaries: red is (1/√3, 1/√2, 1/√6), green (1/√3, 0, −2/√6),
    /// blue (1/√3, −1/√2, 1/√6).
    @Test func primariesGiveTheColumnsOfO() throws {
        let primaries = try Image(width: 3, height: 1, channels: 3, pixels: [1, 0, 0, 0, 1, 0, 0, 0, 1])
        let channels = try primaries.opponentChannels()
        let expected: [[Double]] = [
            [1 / 3.0.squareRoot(), 1 / 3.0.squareRoot(), 1 / 3.0.squareRoot()],
            [1 / 2.0.squareRoot(), 0, -1 / 2.0.squareRoot()],
            [1 / 6.0.squareRoot(), -2 / 6.0.squareRoot(), 1 / 6.0.squareRoot()],
        ]
        for k in 0..<3 {
            for x in 0..<3 { #expect(abs(channels[k][x: x, y: 0] - expected[k][x]) < 1e-15) }
        }
        #expect(Image.opponentChannelNames == ["luminance", "red–blue", "green–magenta"])
    }

    /// Opponent channels and back give the image again, for any size and scale of values; the
    /// relative error (max |x̂ − x| / max |x|) is a few rounding errors: each value passes
    /// through two 3-term dot products.
    @Test func theInverseIsExact() async {
        await propertyCheck(
            count: 40, input: Gen.int(in: 1...16), Gen.int(in: 1...16), Gen.int(in: -3...3), Gen.uint64(in: 0...UInt64.max)
        ) { width, height, decades, seed in
            let image = try! randomUnitImage(width: width, height: height, channels: 3, seed: seed)
                .mapPixels { ($0 - 0.25) * [1e-3, 1e-2, 0.1, 1, 10, 100, 1000][decades + 3] }
            let channels = try! image.opponentChannels()
            #expect(channels.count == 3 && channels.allSatisfy { $0.isGray && $0.width == width && $0.height == height })
            let back = try! Image(opponentChannels: channels)
            #expect(back.hasSameShape(as: image))
            let error = zip(back.pixels, image.pixels).map { abs($0 - $1) }.max()!
            let size = image.pixels.map(abs).max()!
            #expect(error <= 2e-15 * size, "relative error \(error / size)")
        }
    }

    /// White Gaussian noise of σ in R, G and B gives every opponent channel noise of standard
    /// deviation σ, uncorrelated between channels. Over n pixels the sample standard deviation
    /// has standard error ≈ σ/√(2n) and the sample correlation of independent channels
    /// ≈ 1/√n; the bounds are 5 standard errors.
    @Test func whiteNoiseStaysWhite() async {
        await propertyCheck(
            count: 15, input: Gen.int(in: 30...60), Gen.int(in: 30...60), Gen.uint64(in: 0...UInt64.max)
        ) { width, height, seed in
            var generator = SeededGenerator(seed: seed)
            let sigma = 0.01 + 10 * generator.nextUniform()
            let clean = try! randomUnitImage(width: width, height: height, channels: 3, seed: seed &+ 1)
            let noisy = try! addingGaussianNoise(to: clean, sigma: sigma, generator: &generator)
            let before = try! clean.opponentChannels(), after = try! noisy.opponentChannels()
            let noise = (0..<3).map { k in zip(after[k].pixels, before[k].pixels).map { $0 - $1 } }
            let n = Double(width * height)
            func mean(_ v: [Double]) -> Double { v.reduce(0, +) / Double(v.count) }
            func std(_ v: [Double]) -> Double {
                let m = mean(v)
                return (v.map { ($0 - m) * ($0 - m) }.reduce(0, +) / (Double(v.count) - 1)).squareRoot()
            }
            for k in 0..<3 {
                let s = std(noise[k])
                #expect(abs(s / sigma - 1) < 5 / (2 * n).squareRoot(), "channel \(k): std \(s), σ = \(sigma)")
            }
            for (i, j) in [(0, 1), (0, 2), (1, 2)] {
                let mi = mean(noise[i]), mj = mean(noise[j])
                let covariance = mean(zip(noise[i], noise[j]).map { ($0 - mi) * ($1 - mj) })
                let correlation = covariance / (std(noise[i]) * std(noise[j]))
                #expect(abs(correlation) < 5 / n.squareRoot(), "channels \(i), \(j): correlation \(correlation)")
            }
        }
    }

    /// A gray image stored as RGB (R = G = B = g): L = √3 g and chroma exactly 0.
    @Test func grayHasNoChroma() async {
        await propertyCheck(
            count: 30, input: Gen.int(in: 1...12), Gen.int(in: 1...12), Gen.uint64(in: 0...UInt64.max)
        ) { width, height, seed in
            let gray = try! randomUnitImage(width: width, height: height, seed: seed)
            let channels = try! gray.rgb().opponentChannels()
            for (l, g) in zip(channels[0].pixels, gray.pixels) { #expect(abs(l - 3.0.squareRoot() * g) <= 2e-15 * g) }
            #expect(channels[1].pixels.allSatisfy { $0 == 0 } && channels[2].pixels.allSatisfy { $0 == 0 })
        }
    }

    @Test func badInputThrows() throws {
        let gray = try Image(width: 3, height: 2, repeating: 0.5)
        #expect(throws: ImageError.self) { try gray.opponentChannels() }
        #expect(throws: ImageError.self) { try Image(opponentChannels: [gray, gray]) }
        #expect(throws: ImageError.notGray(operation: "stacking channel 1", channels: 3)) {
            try Image(opponentChannels: [gray, gray.rgb(), gray])
        }
        let wider = try Image(width: 4, height: 2, repeating: 0.5)
        #expect(throws: ImageError.self) { try Image(opponentChannels: [gray, gray, wider]) }
    }
}
