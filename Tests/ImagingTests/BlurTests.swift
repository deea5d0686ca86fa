import Imaging
import LinearAlgebra
import PropertyBased
import Randomness
import Testing

/// W z computed by a plain loop over W's entries.
private func multiply(_ w: Matrix, _ z: [Double]) -> [Double] {
    (0..<w.rows).map { i in (0..<w.columns).reduce(0.0) { $0 + w[i, $1] * z[$1] } }
}

@Suite struct BinomialBlur {
    @Test func kernelIsTheNormalisedBinomial() {
        #expect(binomialBlurKernel.rows == 3 && binomialBlurKernel.columns == 3)
        #expect(binomialBlurKernel.storage == [1, 2, 1, 2, 4, 2, 1, 2, 1].map { $0 / 16 })
        #expect(binomialBlurKernel.storage.reduce(0, +) == 1)
    }

    @Test func impulseResponseIsTheKernelAndIsCutAtTheBorder() throws {
        var impulse = try Image(width: 5, height: 5)
        impulse[x: 2, y: 2] = 16
        let blurred = binomialBlur(impulse)
        let expected: [Double] = [
            0, 0, 0, 0, 0,
            0, 1, 2, 1, 0,
            0, 2, 4, 2, 0,
            0, 1, 2, 1, 0,
            0, 0, 0, 0, 0,
        ]
        #expect(blurred.pixels == expected)
        // Zero padding: a constant image loses mass at the border (corner keeps 9/16).
        let constant = binomialBlur(try Image(width: 4, height: 4, repeating: 16))
        #expect(constant[x: 0, y: 0] == 9)
        #expect(constant[x: 1, y: 0] == 12)
        #expect(constant[x: 1, y: 1] == 16)
    }

    @Test func colourChannelsAreBlurredSeparately() throws {
        let rgb = try randomUnitImage(width: 6, height: 5, channels: 3, seed: 9)
        let blurred = binomialBlur(rgb)
        for channel in 0..<3 {
            let plane = try Image(
                width: 6, height: 5, pixels: stride(from: channel, to: rgb.pixels.count, by: 3).map { rgb.pixels[$0] })
            let blurredPlane = binomialBlur(plane)
            for i in 0..<30 { #expect(blurred.pixels[3 * i + channel] == blurredPlane.pixels[i]) }
        }
    }

    /// The protocol's per-patch model: W z is the blur of the m x m patch z as an image,
    /// zero outside the patch.
    @Test func blurMatrixTimesPatchEqualsTheBlurredPatch() async {
        await propertyCheck(count: 40, input: Gen.int(in: 1...9), Gen.uint64(in: 0...UInt64.max)) { m, seed in
            let patch = try! randomIntegerImage(width: m, height: m, seed: seed)
            let w = try! binomialBlurMatrix(patchSize: m)
            #expect(w.rows == m * m && w.columns == m * m)
            let product = multiply(w, patch.pixels)
            let blurred = binomialBlur(patch)
            for (a, b) in zip(product, blurred.pixels) {
                #expect(abs(a - b) <= 1e-13 * 255)
            }
        }
    }

    @Test func blurMatrixIsSymmetricWithUnitInteriorRowSums() throws {
        let m = 6
        let w = try binomialBlurMatrix(patchSize: m)
        #expect(w == w.transposed)
        for y in 1..<(m - 1) {
            for x in 1..<(m - 1) {
                #expect(w.row(y * m + x).reduce(0, +) == 1)
            }
        }
        #expect(w.row(0).reduce(0, +) == 9.0 / 16)
        #expect(try binomialBlurMatrix(patchSize: 1).storage == [0.25])
        #expect(throws: ImageError.self) { try binomialBlurMatrix(patchSize: 0) }
    }
}

@Suite struct Convolution {
    /// The convention is true convolution (kernel flipped): K[0, 0] weights the pixel one
    /// step right and one step down.
    @Test func kernelIsFlipped() throws {
        var kernel = Matrix(rows: 3, columns: 3)
        kernel[0, 0] = 1
        let image = try Image(width: 3, height: 3, pixels: (1...9).map(Double.init))
        let out = try convolve(image, with: kernel)
        #expect(out.pixels == [5, 6, 0, 8, 9, 0, 0, 0, 0])
    }

    @Test func matrixFormAgreesForAsymmetricKernels() async {
        await propertyCheck(count: 40, input: Gen.int(in: 1...7), Gen.int(in: 0...2), Gen.uint64(in: 0...UInt64.max)) {
            m, half, seed in
            let k = 2 * half + 1
            var generator = SeededGenerator(seed: seed)
            var kernel = Matrix(rows: k, columns: k)
            for i in 0..<(k * k) { kernel.storage[i] = generator.nextUniform() - 0.5 }
            let patch = try! randomUnitImage(width: m, height: m, seed: seed &+ 1)
            let w = try! convolutionMatrix(kernel: kernel, patchSize: m)
            let direct = try! convolve(patch, with: kernel)
            for (a, b) in zip(multiply(w, patch.pixels), direct.pixels) {
                #expect(abs(a - b) <= 1e-13)
            }
        }
    }

    @Test func kernelsMustBeOddAndSquare() throws {
        let image = try Image(width: 3, height: 3)
        #expect(throws: ImageError.invalidParameter(
            "a convolution kernel must be square with an odd size, not 2x2")) {
            try convolve(image, with: Matrix(rows: 2, columns: 2))
        }
        #expect(throws: ImageError.self) { try convolutionMatrix(kernel: Matrix(rows: 3, columns: 1), patchSize: 3) }
    }
}
