import Imaging
import LinearAlgebra

/// EPLL's x-step for one image: given the patch estimates zᵢ of the z-step, the image
///
///     x* = argmin_x  E(x),   E(x) = ‖A x − y‖² / σ² + β Σᵢ ‖Pᵢ x − zᵢ‖²,
///
/// where Pᵢ extracts the i-th overlapping m x m patch. E is quadratic; setting its gradient
/// to zero gives the normal equations
///
///     M x = b,   M = AᵀA / σ² + β D,   b = Aᵀ y / σ² + β Σᵢ Pᵢᵀ zᵢ,
///
/// with D = Σᵢ PᵢᵀPᵢ diagonal: D_uu is the number of patches covering pixel u. Writing
/// x̄ = D⁻¹ Σᵢ Pᵢᵀ zᵢ (the patch average of the estimates, `reassemblePatches`), the penalty
/// is β Σ_u D_uu (x_u − x̄_u)² plus a constant, and b = Aᵀ y / σ² + β D x̄. M is positive
/// definite (D ≥ 1 on every pixel), so x* is unique:
///
/// - when AᵀA is diagonal (A = I: denoising) M is diagonal and, pixel by pixel,
///   x*_u = ((Aᵀ y)_u / σ² + β D_uu x̄_u) / ((AᵀA)_uu / σ² + β D_uu); for A = I this is
///   (y_u + βσ² D_uu x̄_u) / (1 + βσ² D_uu), a weighted mean of the observation and the
///   patch average that tends to x̄ as β → ∞;
/// - otherwise (the blur) by Jacobi-preconditioned conjugate gradients, started from the
///   current image, which never increase E.
public struct EPLLImageStep: Sendable {
    public let observed: Image
    public let degradation: any LinearImageOperator
    /// σ².
    public let noiseVariance: Double
    public let beta: Double
    public let patchSize: Int
    /// zᵢ, one row per patch in the order of `extractPatches`.
    public let estimates: Matrix
    /// D_uu, the number of m x m patches covering each pixel (row-major).
    public let coverage: [Double]
    /// x̄ = D⁻¹ Σᵢ Pᵢᵀ zᵢ.
    public let patchAverage: Image

    /// - Throws: `RestorationError` if σ or β is not positive and finite, the image is not
    ///   gray or has NaN / infinite pixels, or `estimates` is not one m²-row per patch.
    public init(
        observed: Image, degradation: any LinearImageOperator, noiseSigma sigma: Double, beta: Double,
        patchSize m: Int, estimates: Matrix
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
        let count = patchCount(width: observed.width, height: observed.height, size: m)
        guard count > 0, estimates.rows == count, estimates.columns == m * m else {
            throw RestorationError.shapeMismatch(
                "a \(observed.width)x\(observed.height) image has \(count) patches of \(m) x \(m), "
                    + "but the estimates are \(estimates.rows)x\(estimates.columns)")
        }
        self.observed = observed
        self.degradation = degradation
        self.noiseVariance = sigma * sigma
        self.beta = beta
        self.patchSize = m
        self.estimates = estimates
        self.coverage = patchCoverage(width: observed.width, height: observed.height, size: m)
        self.patchAverage = try reassemblePatches(estimates, size: m, width: observed.width, height: observed.height)
    }

    /// M x = AᵀA x / σ² + β D x.
    public func normalProduct(_ x: Image) throws -> Image {
        let normal = try degradation.adjoint(degradation.apply(x))
        return try image((0..<x.pixels.count).map { normal.pixels[$0] / noiseVariance + beta * coverage[$0] * x.pixels[$0] })
    }

    /// b = Aᵀ y / σ² + β D x̄.
    public func rightHandSide() throws -> Image {
        let back = try degradation.adjoint(observed)
        return try image((0..<back.pixels.count).map {
            back.pixels[$0] / noiseVariance + beta * coverage[$0] * patchAverage.pixels[$0]
        })
    }

    /// E(x) = ‖A x − y‖² / σ² + β Σᵢ ‖Pᵢ x − zᵢ‖², the patch sum taken patch by patch.
    public func objective(_ x: Image) throws -> Double {
        let predicted = try degradation.apply(x)
        var data = 0.0
        for i in 0..<predicted.pixels.count {
            let r = predicted.pixels[i] - observed.pixels[i]
            data += r * r
        }
        let patches = try extractPatches(from: x, size: patchSize)
        var penalty = 0.0
        for i in 0..<patches.storage.count {
            let r = patches.storage[i] - estimates.storage[i]
            penalty += r * r
        }
        return data / noiseVariance + beta * penalty
    }

    /// x* from `start` (ignored when M is diagonal): closed form per pixel, or conjugate
    /// gradients until ‖b − M x‖ ≤ tolerance · ‖b‖ or `maxIterations`.
    public func solve(start: Image, tolerance: Double, maxIterations: Int) throws -> EPLLImageSolution {
        guard start.hasSameShape(as: observed) else {
            throw RestorationError.shapeMismatch("the start image is \(start.shapeDescription), the observed \(observed.shapeDescription)")
        }
        let b = try rightHandSide().pixels
        let normalDiagonal = try degradation.normalDiagonal(width: observed.width, height: observed.height)
        let diagonal = (0..<b.count).map { normalDiagonal[$0] / noiseVariance + beta * coverage[$0] }
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

/// D_uu = the number of m x m patches (stride 1) covering pixel u = (x, y) of a
/// `width x height` image: c(x, width) · c(y, height) with c(t, n) = min(t, n − m) − max(0, t − m + 1) + 1,
/// the number of patch corners in the same row (column) whose window reaches t.
func patchCoverage(width: Int, height: Int, size m: Int) -> [Double] {
    func count(_ t: Int, _ n: Int) -> Double { Double(min(t, n - m) - max(0, t - m + 1) + 1) }
    var out = [Double](repeating: 0, count: width * height)
    for y in 0..<height {
        for x in 0..<width { out[y * width + x] = count(x, width) * count(y, height) }
    }
    return out
}
