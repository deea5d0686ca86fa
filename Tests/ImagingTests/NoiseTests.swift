import Imaging
import LinearAlgebra
import Randomness
import Testing

@Suite struct GaussianNoise {
    @Test func invalidSigmaIsAnError() throws {
        let image = try Image(width: 2, height: 2)
        var generator = SeededGenerator(seed: 1)
        for sigma in [0, -1, Double.nan, Double.infinity] {
            #expect(throws: ImageError.self) { try addingGaussianNoise(to: image, sigma: sigma, generator: &generator) }
        }
    }

    @Test func sameSeedSameNoise() throws {
        let image = try randomIntegerImage(width: 8, height: 8, seed: 2)
        var a = SeededGenerator(seed: 42)
        var b = SeededGenerator(seed: 42)
        var c = SeededGenerator(seed: 43)
        let first = try addingGaussianNoise(to: image, sigma: 20, generator: &a)
        #expect(first == (try addingGaussianNoise(to: image, sigma: 20, generator: &b)))
        #expect(first != (try addingGaussianNoise(to: image, sigma: 20, generator: &c)))
    }

    /// The residual y − x has mean 0 and standard deviation σ, and is not clipped.
    @Test func residualHasTheRequestedStandardDeviation() throws {
        let image = try Image(width: 200, height: 200, repeating: 250)
        var generator = SeededGenerator(seed: 7)
        let noisy = try addingGaussianNoise(to: image, sigma: 20, generator: &generator)
        let residual = zip(noisy.pixels, image.pixels).map { $0 - $1 }
        let n = Double(residual.count)
        let mean = residual.reduce(0, +) / n
        let variance = residual.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / (n - 1)
        // Standard errors over 40,000 draws: mean 20 / 200 = 0.1; std ≈ 20 / sqrt(2 · 40000) ≈ 0.07.
        #expect(abs(mean) < 5 * 0.1)
        #expect(abs(variance.squareRoot() - 20) < 5 * 0.071)
        #expect(noisy.valueRange.upperBound > 255)
    }
}

@Suite struct CorruptionModel {
    @Test func protocolDefault() {
        #expect(Corruption.mnistProtocol.blur == .binomial3)
        #expect(Corruption.mnistProtocol.sigma == 20)
        #expect(Corruption.mnistProtocol.description == "binomial 3x3 blur, Gaussian noise sigma = 20.0")
    }

    @Test func applyIsBlurThenSeededNoise() throws {
        let digit = try randomIntegerImage(width: 28, height: 28, seed: 3)
        var generator = SeededGenerator(seed: 11)
        let expected = try addingGaussianNoise(to: binomialBlur(digit), sigma: 20, generator: &generator)
        #expect(Corruption.mnistProtocol.apply(to: digit, seed: 11) == expected)
        let noiseOnly = try Corruption(blur: .none, sigma: 0.1)
        var second = SeededGenerator(seed: 5)
        #expect(noiseOnly.apply(to: digit, seed: 5) == (try addingGaussianNoise(to: digit, sigma: 0.1, generator: &second)))
        #expect(try Corruption(blur: .binomial3, sigma: 0).apply(to: digit, seed: 1) == binomialBlur(digit))
    }

    @Test func observationMatrices() throws {
        #expect(try Corruption.mnistProtocol.observationMatrix(patchSize: 4) == (try binomialBlurMatrix(patchSize: 4)))
        #expect(try Corruption(blur: .none, sigma: 1).observationMatrix(patchSize: 3) == Matrix.identity(9))
        #expect(throws: ImageError.self) { try Corruption(blur: .none, sigma: 1).observationMatrix(patchSize: 0) }
    }

    @Test func invalidSigma() {
        for sigma in [-1, Double.nan, -Double.infinity] {
            #expect(throws: ImageError.self) { try Corruption(blur: .binomial3, sigma: sigma) }
        }
    }
}
