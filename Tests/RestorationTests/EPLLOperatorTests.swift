import Foundation
import Testing
import PropertyBased
import Imaging
import LinearAlgebra
import Randomness
import Restoration
import TestSupport

/// A gray `width x height` image of i.i.d. N(0, scale²) pixels.
func randomImage(width: Int, height: Int, scale: Double = 1, using g: inout SeededGenerator) throws -> Image {
    try Image(width: width, height: height, pixels: g.gaussians(count: width * height, standardDeviation: scale))
}

/// ⟨a, b⟩ over all pixels.
func inner(_ a: Image, _ b: Image) -> Double {
    zip(a.pixels, b.pixels).reduce(0) { $0 + $1.0 * $1.1 }
}

/// The image operators of EPLL's x-step: the adjoint is the adjoint, and diag(AᵀA) is the
/// sum of squares of A's columns.
@Suite struct EPLLOperatorLaws {
    /// A random odd-sized (3 or 5) kernel with no symmetry, so a wrong turn of the kernel shows.
    static func randomKernel(using g: inout SeededGenerator) throws -> Matrix {
        let k = g.nextInt(below: 2) == 0 ? 3 : 5
        return RandomMatrices.gaussian(rows: k, columns: k, using: &g)
    }

    @Test func adjointSatisfiesTheInnerProductIdentity() async {
        await propertyCheck(count: 40, input: Gen.int(in: 1...9), Gen.int(in: 1...9), Gen.uint64()) { w, h, seed in
            var g = SeededGenerator(seed: seed)
            let x = try randomImage(width: w, height: h, using: &g)
            let y = try randomImage(width: w, height: h, using: &g)
            let operators: [any LinearImageOperator] = [
                IdentityOperator(), ConvolutionOperator.binomialBlur, try ConvolutionOperator(kernel: Self.randomKernel(using: &g)),
            ]
            for a in operators {
                let left = inner(try a.apply(x), y)
                let right = inner(x, try a.adjoint(y))
                let scale = (inner(x, x) * inner(y, y)).squareRoot() * Double(9)
                #expect(abs(left - right) <= 1e-12 * max(scale, 1), "\(a): ⟨Ax, y⟩ = \(left), ⟨x, Aᵀy⟩ = \(right)")
            }
        }
    }

    @Test func normalDiagonalIsTheSumOfSquaresOfEachColumn() async {
        await propertyCheck(count: 20, input: Gen.int(in: 1...6), Gen.int(in: 1...6), Gen.uint64()) { w, h, seed in
            var g = SeededGenerator(seed: seed)
            let operators: [any LinearImageOperator] = [
                IdentityOperator(), ConvolutionOperator.binomialBlur, try ConvolutionOperator(kernel: Self.randomKernel(using: &g)),
            ]
            for a in operators {
                let diagonal = try a.normalDiagonal(width: w, height: h)
                for q in 0..<(w * h) {
                    var unit = [Double](repeating: 0, count: w * h)
                    unit[q] = 1
                    let column = try a.apply(Image(width: w, height: h, pixels: unit))  // A e_q
                    let expected = column.pixels.reduce(0) { $0 + $1 * $1 }
                    #expect(abs(diagonal[q] - expected) <= 1e-12 * max(expected, 1), "\(a), pixel \(q)")
                }
                if a.hasDiagonalNormalMatrix {
                    let x = try randomImage(width: w, height: h, using: &g)
                    let normal = try a.adjoint(a.apply(x))
                    let product = zip(diagonal, x.pixels).map { $0 * $1 }
                    #expect(Tolerance.relativeError(normal.pixels, product) < 1e-12)
                }
            }
        }
    }

    @Test func binomialBlurIsSelfAdjointAndMatchesTheProtocolBlur() throws {
        var g = SeededGenerator(seed: 11)
        let x = try randomImage(width: 7, height: 5, scale: 50, using: &g)
        let blur = ConvolutionOperator.binomialBlur
        #expect(try blur.apply(x) == binomialBlur(x))
        #expect(Tolerance.relativeError(try blur.adjoint(x).pixels, binomialBlur(x).pixels) < 1e-14)
        #expect(try Corruption(blur: .binomial3, sigma: 1).degradation.apply(x) == binomialBlur(x))
        #expect(try Corruption(blur: .none, sigma: 1).degradation.apply(x) == x)
    }

    @Test func badKernelsAreRejected() {
        #expect(throws: RestorationError.self) { try ConvolutionOperator(kernel: Matrix(rows: 2, columns: 2)) }
        #expect(throws: RestorationError.self) { try ConvolutionOperator(kernel: Matrix(rows: 3, columns: 5)) }
        #expect(throws: RestorationError.self) { try ConvolutionOperator(kernel: Matrix(rows: 3, columns: 3, repeating: .nan)) }
    }
}
