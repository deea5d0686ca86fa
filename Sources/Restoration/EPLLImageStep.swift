import Imaging
import LinearAlgebra

/// EPLL's x-step for one image: given the patch estimates zᵢ of the z-step, the image
///
///     x* = argmin_x  E(x),   E(x) = λ ‖A x − y‖² + β Σᵢ Σ_{u ∈ Pᵢ} (w_u / D_u) (x_u − zᵢ,u)²,
///
/// where Pᵢ is the i-th overlapping m x m patch, D_u the number of patches covering pixel u
/// (D = Σᵢ PᵢᵀPᵢ, diagonal) and (λ, w) come from `EPLLOptions.Weighting`:
///
/// - `.patchSum(c)`: λ = c/σ², w_u = D_u, so the penalty is the literal β Σᵢ ‖Pᵢ x − zᵢ‖²;
/// - `.averaged`: λ = 1/σ², w_u = 1, every pixel pulled once whatever its coverage.
///
/// Writing x̄ = D⁻¹ Σᵢ Pᵢᵀ zᵢ (the patch average of the estimates, `reassemblePatches`), the
/// penalty is β Σ_u w_u (x_u − x̄_u)² plus a constant. E is quadratic; setting its gradient
/// to zero gives the normal equations
///
///     M x = b,   M = λ AᵀA + β W,   b = λ Aᵀ y + β W x̄,   W = diag(w),
///
/// (for `.patchSum`, W x̄ = Σᵢ Pᵢᵀ zᵢ: the literal form (λAᵀA + β Σ PᵢᵀPᵢ) x = λAᵀy + β Σ Pᵢᵀzᵢ).
/// M is positive definite (w > 0), so x* is unique:
///
/// - when AᵀA is diagonal (A = I: denoising) M is diagonal and, pixel by pixel,
///   x*_u = (λ (Aᵀ y)_u + β w_u x̄_u) / (λ (AᵀA)_uu + β w_u); for A = I and `.averaged`
///   this is (y_u + βσ² x̄_u) / (1 + βσ²), a weighted mean of the observation and the patch
///   average that tends to x̄ as β → ∞;
/// - otherwise (the blur) by Jacobi-preconditioned conjugate gradients, started from the
///   current image, which never increase E.
public struct EPLLImageStep: Sendable {
    public let observed: Image
    public let degradation: any LinearImageOperator
    /// λ, the weight of the data term.
    public let dataWeight: Double
    public let beta: Double
    public let patchSize: Int
    /// D_u, the number of m x m patches covering each pixel (row-major).
    public let coverage: [Double]
    /// w_u, the penalty weight of each pixel (D_u or 1).
    public let penaltyWeights: [Double]
    /// x̄ = D⁻¹ Σᵢ Pᵢᵀ zᵢ.
    public let patchAverage: Image

    /// The x-step given the patch average x̄ of the z-step's estimates (all it needs: the
    /// penalty depends on the zᵢ only through x̄, up to a constant).
    /// - Throws: `RestorationError` if σ or β is not positive and finite, the weighting's
    ///   multiple is not, the image is not gray or is smaller than m x m, or x̄ differs from
    ///   it in size; `ImageError` if either has NaN or infinite pixels.
    public init(
        observed: Image, degradation: any LinearImageOperator, noiseSigma sigma: Double, beta: Double,
        weighting: EPLLOptions.Weighting = .averaged, patchSize m: Int, patchAverage: Image
    ) throws {
        guard sigma.isFinite, sigma > 0 else {
            throw RestorationError.invalidParameter("the noise standard deviation must be positive and finite, got \(sigma)")
        }
        guard beta.isFinite, beta > 0 else {
            throw RestorationError.invalidParameter("the penalty weight β must be positive and finite, got \(beta)")
        }
        guard observed.isGray else {
            throw RestorationError.shapeMismatch("EPLL restores gray images; this one has \(observed.channels) channels")
        }
        try observed.requireFinitePixels(name: "the observed image")
        guard m >= 1, observed.width >= m, observed.height >= m else {
            throw RestorationError.shapeMismatch("a \(observed.width)x\(observed.height) image has no \(m) x \(m) patches")
        }
        guard patchAverage.hasSameShape(as: observed) else {
            throw RestorationError.shapeMismatch(
                "the patch average is \(patchAverage.shapeDescription), the observed image \(observed.shapeDescription)")
        }
        try patchAverage.requireFinitePixels(name: "the patch average")
        let coverage = patchCoverage(width: observed.width, height: observed.height, size: m)
        switch weighting {
        case .averaged:
            dataWeight = 1 / (sigma * sigma)
            penaltyWeights = [Double](repeating: 1, count: coverage.count)
        case .patchSum(let c):
            guard c.isFinite, c > 0 else {
                throw RestorationError.invalidParameter("the data weight must be a positive, finite multiple of 1/σ², got \(c)")
            }
            dataWeight = c / (sigma * sigma)
            penaltyWeights = coverage
        }
        self.observed = observed
        self.degradation = degradation
        self.beta = beta
        self.patchSize = m
        self.coverage = coverage
        self.patchAverage = patchAverage
    }

    /// The x-step given the z-step's estimates zᵢ, one row per patch in the order of
    /// `extractPatches` (x̄ = `reassemblePatches` of them).
    /// - Throws: as the other initialiser, or if `estimates` is not one m²-row per patch.
    public init(
        observed: Image, degradation: any LinearImageOperator, noiseSigma sigma: Double, beta: Double,
        weighting: EPLLOptions.Weighting = .averaged, patchSize m: Int, estimates: Matrix
    ) throws {
        let average: Image
        do {
            average = try reassemblePatches(estimates, size: m, width: observed.width, height: observed.height)
        } catch {
            throw RestorationError.shapeMismatch("the estimates do not fit the image: \(error)")
        }
        try self.init(observed: observed, degradation: degradation, noiseSigma: sigma, beta: beta,
                      weighting: weighting, patchSize: m, patchAverage: average)
    }

    /// M x = λ AᵀA x + β W x.
    public func normalProduct(_ x: Image) throws -> Image {
        let normal = try degradation.adjoint(degradation.apply(x))
        return try image((0..<x.pixels.count).map { dataWeight * normal.pixels[$0] + beta * penaltyWeights[$0] * x.pixels[$0] })
    }

    /// b = λ Aᵀ y + β W x̄.
    public func rightHandSide() throws -> Image {
        let back = try degradation.adjoint(observed)
        return try image((0..<back.pixels.count).map {
            dataWeight * back.pixels[$0] + beta * penaltyWeights[$0] * patchAverage.pixels[$0]
        })
    }

    /// E(x) = λ ‖A x − y‖² + β Σᵢ Σ_{u ∈ Pᵢ} (w_u / D_u)(x_u − zᵢ,u)², summed patch by patch,
    /// for the estimates zᵢ this step was made from (one m²-row per patch).
    public func objective(_ x: Image, estimates: Matrix) throws -> Double {
        let count = patchCount(width: observed.width, height: observed.height, size: patchSize)
        guard x.hasSameShape(as: observed), estimates.rows == count, estimates.columns == patchSize * patchSize else {
            throw RestorationError.shapeMismatch(
                "the objective needs a \(observed.shapeDescription) image and \(count)x\(patchSize * patchSize) estimates, "
                    + "got \(x.shapeDescription) and \(estimates.rows)x\(estimates.columns)")
        }
        let predicted = try degradation.apply(x)
        var data = 0.0
        for i in 0..<predicted.pixels.count {
            let r = predicted.pixels[i] - observed.pixels[i]
            data += r * r
        }
        let (width, height, m) = (x.width, x.height, patchSize)
        var penalty = 0.0, row = 0
        for py in 0...(height - m) {
            for px in 0...(width - m) {
                for r in 0..<m {
                    for c in 0..<m {
                        let u = (py + r) * width + px + c
                        let difference = x.pixels[u] - estimates.storage[row * m * m + r * m + c]
                        penalty += penaltyWeights[u] / coverage[u] * difference * difference
                    }
                }
                row += 1
            }
        }
        return dataWeight * data + beta * penalty
    }

    /// x* from `start` (ignored when M is diagonal): closed form per pixel, or conjugate
    /// gradients until ‖b − M x‖ ≤ tolerance · ‖b‖ or `maxIterations`.
    public func solve(start: Image, tolerance: Double, maxIterations: Int) throws -> EPLLImageSolution {
        guard start.hasSameShape(as: observed) else {
            throw RestorationError.shapeMismatch("the start image is \(start.shapeDescription), the observed \(observed.shapeDescription)")
        }
        let b = try rightHandSide().pixels
        let normalDiagonal = try degradation.normalDiagonal(width: observed.width, height: observed.height)
        let diagonal = (0..<b.count).map { dataWeight * normalDiagonal[$0] + beta * penaltyWeights[$0] }
        let apply = { (v: [Double]) throws -> [Double] in try normalProduct(image(v)).pixels }
        if degradation.hasDiagonalNormalMatrix {
            let x = (0..<b.count).map { b[$0] / diagonal[$0] }
            let mx = try apply(x)
            let bNorm = b.reduce(0) { $0 + $1 * $1 }.squareRoot()
            let residual = (0..<b.count).reduce(0.0) { $0 + (b[$1] - mx[$1]) * (b[$1] - mx[$1]) }.squareRoot()
            return EPLLImageSolution(image: try image(x), conjugateGradientIterations: 0,
                                     relativeResidual: bNorm > 0 ? residual / bNorm : 0)
        }
        try start.requireFinitePixels(name: "the start image of the x-step")
        let solution = try conjugateGradient(
            apply: apply, rightHandSide: b, diagonal: diagonal, start: start.pixels,
            tolerance: tolerance, maxIterations: maxIterations)
        return EPLLImageSolution(image: try image(solution.x), conjugateGradientIterations: solution.iterations,
                                 relativeResidual: solution.relativeResidual)
    }

    private func image(_ pixels: [Double]) throws -> Image {
        try Image(width: observed.width, height: observed.height, pixels: pixels)
    }
}

/// The x-step's image and how well it solves the normal equations.
public struct EPLLImageSolution: Sendable {
    public let image: Image
    /// 0 for the closed form.
    public let conjugateGradientIterations: Int
    /// ‖b − M x‖ / ‖b‖.
    public let relativeResidual: Double
}
