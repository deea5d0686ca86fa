import Foundation
import Imaging
import PropertyBased
import Randomness
import Testing

/// A smooth test image: a random linear ramp plus a low-frequency sinusoid (periods of at
/// least 64 pixels along each axis, amplitude at most 0.2). Its diagonal Haar detail is the
/// mixed second difference / 2: exactly 0 for the ramp, at most 0.2 · (2π/64)² / 2 ≈ 0.001
/// for the sinusoid, a tenth of the smallest σ the tests use.
private func smoothImage(width: Int, height: Int, generator: inout SeededGenerator) throws -> Image {
    let slopeX = 0.004 * (generator.nextUniform() - 0.5), slopeY = 0.004 * (generator.nextUniform() - 0.5)
    let offset = generator.nextUniform()
    let amplitude = 0.2 * generator.nextUniform()
    let omegaX = 2 * Double.pi / (64 + 200 * generator.nextUniform())
    let omegaY = 2 * Double.pi / (64 + 200 * generator.nextUniform())
    let phase = 2 * Double.pi * generator.nextUniform()
    var pixels = [Double](repeating: 0, count: width * height)
    for y in 0..<height {
        for x in 0..<width {
            let u = Double(x), v = Double(y)
            pixels[y * width + x] = offset + slopeX * u + slopeY * v + amplitude * sin(omegaX * u + omegaY * v + phase)
        }
    }
    return try Image(width: width, height: height, pixels: pixels)
}

/// `image` plus white Gaussian noise of standard deviation σ (not clipped).
private func withWhiteNoise(_ image: Image, sigma: Double, generator: inout SeededGenerator) -> Image {
    image.mapPixels { $0 + sigma * generator.nextGaussian() }
}

/// The estimator's relative standard error on n blocks of pure noise: the sample median of
/// |h|, h ~ N(0, σ²), has standard deviation √(p(1 − p) / n) / f(q) with p = 1/2, q = 0.6745 σ
/// and f(q) = 2 φ(0.6745) / σ = 0.6356 / σ the half-normal density there; divided by q that
/// is 0.7867 / 0.6745 / √n = 1.166 / √n.
private func relativeStandardError(blocks n: Int) -> Double {
    1.166 / Double(n).squareRoot()
}

@Suite struct DiagonalHaarNoiseEstimate {
    /// Smooth image + white noise of a random σ: the estimate is within five standard
    /// errors (plus 1 % for the sinusoid's own detail, whose effect on the median is of
    /// order (0.1)² / 2 relative at the smallest σ). With at least 128 · 128 blocks the
    /// tolerance stays below 6 %, so a factor-2 mistake (0.6745 · 2 in the denominator, or
    /// the detail without its /2) fails by far.
    @Test func recoversTheNoiseLevelOfASmoothImage() async {
        await propertyCheck(
            count: 12, input: Gen.int(in: 256...320), Gen.int(in: 256...320), Gen.double(in: 0.01...0.3),
            Gen.uint64(in: 0...UInt64.max)
        ) { width, height, sigma, seed in
            var generator = SeededGenerator(seed: seed)
            let clean = try! smoothImage(width: width, height: height, generator: &generator)
            let noisy = withWhiteNoise(clean, sigma: sigma, generator: &generator)
            let estimate = try! estimatedNoiseSigma(noisy)
            let tolerance = 5 * relativeStandardError(blocks: (width / 2) * (height / 2)) + 0.01
            #expect(tolerance < 0.06, "the tolerance must rule out a factor of 2")
            #expect(abs(estimate / sigma - 1) < tolerance, "σ = \(sigma), σ̂ = \(estimate), \(width) x \(height)")
        }
    }

    /// Two blocks worked by hand: [1 0; 0 1] has h = (1 − 0 − 0 + 1)/2 = 1, [3 5; 7 9] has
    /// h = (3 − 5 − 7 + 9)/2 = 0, the median of {1, 0} is 1/2, so σ̂ = 0.5 / 0.6744897501960817.
    @Test func aWorkedExample() throws {
        let image = try Image(width: 4, height: 2, pixels: [1, 0, 3, 5,
                                                            0, 1, 7, 9])
        #expect(try estimatedNoiseSigma(image) == 0.5 / 0.6744897501960817)
        let threeBlocks = try Image(width: 6, height: 2, pixels: [1, 0, 3, 5, 0, -4,
                                                                  0, 1, 7, 9, 0, 0])
        // |h| = 1, 0, 2: the median is 1.
        #expect(try estimatedNoiseSigma(threeBlocks) == 1 / 0.6744897501960817)
    }

    /// An image constant on every block of the 2 x 2 grid (regions of random even sizes at
    /// even offsets) has no diagonal detail at all: the estimate is exactly 0, whatever an
    /// odd last column or row (left out of the blocks) holds.
    @Test func piecewiseConstantOnTheGridGivesZero() async {
        await propertyCheck(
            count: 40, input: Gen.int(in: 1...20), Gen.int(in: 1...20), Gen.bool, Gen.uint64(in: 0...UInt64.max)
        ) { halfWidth, halfHeight, oddEdges, seed in
            var generator = SeededGenerator(seed: seed)
            let width = 2 * halfWidth + (oddEdges ? 1 : 0), height = 2 * halfHeight + (oddEdges ? 1 : 0)
            // Region of block (bx, by): columns of blocks cut every regionX blocks, rows every regionY.
            let regionX = 1 + generator.nextInt(below: 4), regionY = 1 + generator.nextInt(below: 4)
            let values = (0..<(halfWidth * halfHeight)).map { _ in 10 * generator.nextGaussian() }
            var pixels = [Double](repeating: 0, count: width * height)
            for y in 0..<height {
                for x in 0..<width {
                    let bx = x / 2, by = y / 2
                    pixels[y * width + x] = bx < halfWidth && by < halfHeight
                        ? values[(by / regionY * regionY) * halfWidth + bx / regionX * regionX]
                        : generator.nextGaussian()
                }
            }
            let image = try! Image(width: width, height: height, pixels: pixels)
            #expect(try! estimatedNoiseSigma(image) == 0)
        }
    }

    /// σ̂(c x + t) = |c| σ̂(x): the details scale by c and lose t (up to rounding).
    @Test func scaleEquivariantAndShiftInvariant() async {
        await propertyCheck(
            count: 30, input: Gen.int(in: 2...40), Gen.int(in: 2...40), Gen.double(in: 0.1...10), Gen.double(in: -10...10),
            Gen.uint64(in: 0...UInt64.max)
        ) { width, height, scale, shift, seed in
            let image = try! randomUnitImage(width: width, height: height, seed: seed)
            let base = try! estimatedNoiseSigma(image)
            for c in [scale, -scale] {
                let transformed = try! estimatedNoiseSigma(image.mapPixels { c * $0 + shift })
                #expect(abs(transformed - abs(c) * base) <= 1e-9 * abs(c) * max(base, 1e-3))
            }
        }
    }

    @Test func badInputThrows() throws {
        let rgb = try Image(width: 4, height: 4, channels: 3, repeating: 0.5)
        #expect(throws: ImageError.notGray(operation: "estimating the noise level", channels: 3)) {
            try estimatedNoiseSigma(rgb)
        }
        for (width, height) in [(1, 1), (1, 9), (9, 1)] {
            let small = try Image(width: width, height: height, repeating: 0.5)
            #expect(throws: ImageError.self) { try estimatedNoiseSigma(small) }
        }
        let twoByTwo = try Image(width: 2, height: 2, pixels: [1, 0, 0, 0])
        #expect(try estimatedNoiseSigma(twoByTwo) == 0.5 / 0.6744897501960817)
        for bad in [Double.infinity, -.infinity] {
            let image = try Image(width: 3, height: 3, pixels: [0, 0, 0, 0, 0, bad, 0, 0, 0])
            #expect(throws: ImageError.nonFinitePixel(
                name: "the image whose noise level is estimated", x: 2, y: 1, channel: 0, value: bad)) {
                try estimatedNoiseSigma(image)
            }
        }
        // NaN is not equal to itself, so the error is matched by its case.
        let withNaN = try Image(width: 2, height: 2, pixels: [0, .nan, 0, 0])
        #expect {
            try estimatedNoiseSigma(withNaN)
        } throws: { error in
            guard case ImageError.nonFinitePixel(_, 1, 0, 0, let value) = error else { return false }
            return value.isNaN
        }
    }
}

/// With an alpha channel only the fully visible 2 x 2 blocks count.
@Suite struct NoiseEstimateUnderAlpha {
    /// A noisy smooth picture whose left part is fully transparent and stored as 0 (as a
    /// 16-bit PNG reads there): over the whole image most blocks have no detail and the
    /// estimate collapses toward 0; over the visible blocks it recovers σ as without the
    /// transparent part (exactly the same blocks when the cut is at an even column).
    @Test func transparentPixelsDoNotCount() async {
        await propertyCheck(
            count: 8, input: Gen.int(in: 200...260), Gen.double(in: 0.02...0.2), Gen.uint64(in: 0...UInt64.max)
        ) { halfWidth, sigma, seed in
            var generator = SeededGenerator(seed: seed)
            let width = 2 * halfWidth, height = 256, cut = 2 * (halfWidth * 2 / 3)
            let clean = try! smoothImage(width: width, height: height, generator: &generator)
            let noisy = withWhiteNoise(clean, sigma: sigma, generator: &generator)
            let alpha = try! Image(width: width, height: height,
                                   pixels: (0..<(width * height)).map { $0 % width < cut ? 0 : 0.01 + generator.nextUniform() })
            let stored = try! Image(width: width, height: height,
                                    pixels: noisy.pixels.indices.map { alpha.pixels[$0] > 0 ? noisy.pixels[$0] : 0 })
            let visiblePart = try! Image(width: width - cut, height: height, pixels: (0..<(width * height)).compactMap {
                $0 % width < cut ? nil : noisy.pixels[$0]
            })
            #expect(try! estimatedNoiseSigma(stored, visibleWhere: alpha) == (try! estimatedNoiseSigma(visiblePart)))
            #expect(abs(try! estimatedNoiseSigma(stored, visibleWhere: alpha) / sigma - 1) < 0.1)
            #expect(try! estimatedNoiseSigma(stored) == 0, "counting the transparent zeros, the median |h| is 0")
        }
    }

    /// A fully opaque (or partly transparent everywhere) alpha changes nothing; a block with
    /// one transparent pixel is left out.
    @Test func opaqueAlphaChangesNothingAndOneTransparentPixelDropsItsBlock() async throws {
        await propertyCheck(count: 20, input: Gen.int(in: 2...30), Gen.int(in: 2...30), Gen.uint64(in: 0...UInt64.max)) {
            width, height, seed in
            let image = try! randomUnitImage(width: width, height: height, seed: seed)
            let alpha = try! randomUnitImage(width: width, height: height, seed: seed &+ 1).mapPixels { 0.001 + $0 }
            #expect(try! estimatedNoiseSigma(image, visibleWhere: alpha) == (try! estimatedNoiseSigma(image)))
        }
        // Blocks |h| = 1, 0, 2 (median 1); hiding one pixel of the |h| = 0 block leaves {1, 2}, median 1.5.
        let image = try Image(width: 6, height: 2, pixels: [1, 0, 3, 5, 0, -4,
                                                            0, 1, 7, 9, 0, 0])
        let alpha = try Image(width: 6, height: 2, pixels: [1, 1, 1, 1, 1, 1,
                                                            1, 1, 1, 0, 1, 1])
        #expect(try estimatedNoiseSigma(image, visibleWhere: alpha) == 1.5 / 0.6744897501960817)
    }

    @Test func noVisibleBlockOrAMismatchedAlphaThrows() throws {
        let image = try Image(width: 4, height: 4, repeating: 0.5)
        let checkerboard = try Image(width: 4, height: 4, pixels: (0..<16).map { Double(($0 % 4 + $0 / 4) % 2) })
        #expect(throws: ImageError.self) { try estimatedNoiseSigma(image, visibleWhere: checkerboard) }
        #expect(throws: ImageError.self) { try estimatedNoiseSigma(image, visibleWhere: try Image(width: 4, height: 3, repeating: 1)) }
        #expect(throws: ImageError.self) {
            try estimatedNoiseSigma(image, visibleWhere: try Image(width: 4, height: 4, channels: 3, repeating: 1))
        }
    }
}
