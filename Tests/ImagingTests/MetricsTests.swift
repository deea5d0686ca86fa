import Foundation
import Imaging
import PropertyBased
import Randomness
import Testing

@Suite struct ErrorMetrics {
    @Test func meanSquaredErrorOfKnownValues() throws {
        let a = try Image(width: 2, height: 2, pixels: [0, 0, 0, 0])
        let b = try Image(width: 2, height: 2, pixels: [1, 2, 3, 4])
        #expect(try meanSquaredError(a, b) == 7.5)
        #expect(try meanSquaredError(a.rgb(), b.rgb()) == 7.5)
        #expect(try meanSquaredError(b, b) == 0)
    }

    /// A constant error e (no clipping involved) gives PSNR = 10 log10(255² / e²).
    @Test func psnrOfAConstantError() async {
        await propertyCheck(count: 50, input: Gen.double(in: 0.01...50), Gen.uint64(in: 0...UInt64.max)) { e, seed in
            var generator = SeededGenerator(seed: seed)
            let pixels = (0..<64).map { _ in 60 + 130 * generator.nextUniform() }
            let reference = try! Image(width: 8, height: 8, pixels: pixels)
            let estimate = reference.mapPixels { $0 + e }
            let psnr = try! peakSignalToNoiseRatio(estimate: estimate, reference: reference, peak: 255)
            let expected = 10 * log10(255 * 255 / (e * e))
            #expect(abs(psnr - expected) <= 1e-9 * abs(expected) + 1e-9)
        }
    }

    @Test func estimateIsClippedToThePeakRangeFirst() throws {
        let reference = try Image(width: 2, height: 1, pixels: [250, 3])
        let estimate = try Image(width: 2, height: 1, pixels: [270, -20])
        // Clipped estimate (255, 0): errors 5 and 3, MSE 17.
        #expect(try meanSquaredError(estimate: estimate, reference: reference, clippedTo: 255) == 17)
        let psnr = try peakSignalToNoiseRatio(estimate: estimate, reference: reference, peak: 255)
        #expect(abs(psnr - 10 * log10(255 * 255 / 17.0)) < 1e-12)
        // The unclipped MSE is larger.
        #expect(try meanSquaredError(estimate, reference) == (400 + 529) / 2)
        // Peak 1 for photographs.
        let photo = try Image(width: 1, height: 1, pixels: [0.5])
        let over = try Image(width: 1, height: 1, pixels: [1.7])
        #expect(try peakSignalToNoiseRatio(estimate: over, reference: photo, peak: 1) == 10 * log10(1 / 0.25))
    }

    @Test func identicalImagesHaveInfinitePSNR() throws {
        let image = try randomIntegerImage(width: 5, height: 5, seed: 1)
        #expect(try peakSignalToNoiseRatio(estimate: image, reference: image, peak: 255) == .infinity)
    }

    @Test func badInputsAreErrors() throws {
        let a = try Image(width: 2, height: 2)
        #expect(throws: ImageError.shapeMismatch("2x2 gray against 2x2 RGB")) { try meanSquaredError(a, a.rgb()) }
        #expect(throws: ImageError.shapeMismatch("estimate 2x2 gray against reference 3x2 gray")) {
            try peakSignalToNoiseRatio(estimate: a, reference: try Image(width: 3, height: 2), peak: 255)
        }
        let nan = try Image(width: 2, height: 2, pixels: [0, .nan, 0, 0])
        // NaN is not equal to itself, so the error is matched by its description.
        let error = #expect(throws: ImageError.self) { try peakSignalToNoiseRatio(estimate: nan, reference: a, peak: 255) }
        #expect(error?.description == "the estimate has a non-finite pixel (nan) at x = 1, y = 0, channel 0; the data is bad input")
        #expect(throws: ImageError.self) { try meanSquaredError(a, try Image(width: 2, height: 2, repeating: .infinity)) }
        #expect(throws: ImageError.self) { try peakSignalToNoiseRatio(estimate: a, reference: a, peak: 0) }
        #expect(throws: ImageError.self) { try peakSignalToNoiseRatio(estimate: a, reference: a, peak: .nan) }
    }
}
