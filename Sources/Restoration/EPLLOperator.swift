import Imaging
import LinearAlgebra

/// A linear degradation y = A x of a whole gray image, given as an operator: EPLL's x-step
/// needs A x, the adjoint Aᵀ y, defined by
///
///     ⟨A x, y⟩ = ⟨x, Aᵀ y⟩   for all images x, y of the same size,
///
/// and the diagonal of AᵀA (for the Jacobi preconditioner of conjugate gradients), never
/// the matrix A itself.
public protocol LinearImageOperator: Sendable, CustomStringConvertible {
    /// A x, an image of the same size.
    func apply(_ x: Image) throws -> Image
    /// Aᵀ y, an image of the same size.
    func adjoint(_ y: Image) throws -> Image
    /// diag(AᵀA) for a `width x height` image, row-major: entry q is Σ_p A_pq².
    func normalDiagonal(width: Int, height: Int) throws -> [Double]
    /// Whether AᵀA is diagonal (equal to `normalDiagonal`), so that the x-step is solved
    /// pixel by pixel in closed form instead of by conjugate gradients.
    var hasDiagonalNormalMatrix: Bool { get }
}

/// A = I: denoising. AᵀA = I is diagonal.
public struct IdentityOperator: LinearImageOperator {
    public init() {}

    public func apply(_ x: Image) throws -> Image { x }
    public func adjoint(_ y: Image) throws -> Image { y }
    public func normalDiagonal(width: Int, height: Int) throws -> [Double] {
        [Double](repeating: 1, count: max(0, width) * max(0, height))
    }
    public var hasDiagonalNormalMatrix: Bool { true }
    public var description: String { "identity" }
}

/// A x = the convolution of x with an odd-sized square kernel K, zero padding, output the
/// same size (`convolve(_:with:)`):  (A x)(u, v) = Σ_{i,j} K[i, j] x(u − j + c, v − i + c).
///
/// Its matrix entry for output pixel p = (u, v) and input pixel q = (u', v') is
/// A_pq = K[v − v' + c, u − u' + c] (zero when an index leaves 0..<k). Hence
///
/// - the adjoint is the convolution with the kernel turned by 180°,
///   K̃[i, j] = K[k − 1 − i, k − 1 − j]: (Aᵀ y)(q) = Σ_p A_pq y(p), and substituting
///   i = v' − v + c, j = u' − u + c gives K̃[i, j] = K[v − v' + c, u − u' + c] = A_pq
///   (the binomial kernel is symmetric under the turn, so its blur is self-adjoint);
/// - diag(AᵀA)_q = Σ_p A_pq² is the adjoint of the kernel of squares K ∘ K applied to the
///   all-ones image (smaller at the border, where zero padding drops terms).
public struct ConvolutionOperator: LinearImageOperator {
    public let kernel: Matrix

    /// - Throws: `RestorationError.invalidParameter` unless the kernel is k x k with k odd
    ///   and finite entries.
    public init(kernel: Matrix) throws {
        guard kernel.rows == kernel.columns, kernel.rows % 2 == 1 else {
            throw RestorationError.invalidParameter(
                "a convolution kernel must be square with an odd size, not \(kernel.rows)x\(kernel.columns)")
        }
        guard kernel.storage.allSatisfy(\.isFinite) else {
            throw RestorationError.invalidParameter("the convolution kernel has NaN or infinite entries")
        }
        self.kernel = kernel
    }

    /// The protocol's binomial blur ([[1, 2, 1], [2, 4, 2], [1, 2, 1]] / 16).
    public static var binomialBlur: ConvolutionOperator {
        ConvolutionOperator(validKernel: binomialBlurKernel)
    }

    private init(validKernel: Matrix) { kernel = validKernel }

    /// K̃[i, j] = K[k − 1 − i, k − 1 − j].
    var turnedKernel: Matrix {
        var turned = kernel
        turned.storage.reverse()
        return turned
    }

    public func apply(_ x: Image) throws -> Image {
        try convolve(x, with: kernel)
    }

    public func adjoint(_ y: Image) throws -> Image {
        try convolve(y, with: turnedKernel)
    }

    public func normalDiagonal(width: Int, height: Int) throws -> [Double] {
        var squares = turnedKernel
        squares.storage = squares.storage.map { $0 * $0 }
        return try convolve(Image(width: width, height: height, repeating: 1), with: squares).pixels
    }

    public var hasDiagonalNormalMatrix: Bool { false }
    public var description: String { "convolution with a \(kernel.rows)x\(kernel.columns) kernel" }
}
