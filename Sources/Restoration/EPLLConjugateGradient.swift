/// What `conjugateGradient` returns.
struct ConjugateGradientSolution {
    var x: [Double]
    /// The iterations taken (0 when the start already met the tolerance).
    var iterations: Int
    /// ‖b − M x‖ / ‖b‖, recomputed from x at the end (0 when b = 0).
    var relativeResidual: Double
}

/// Jacobi-preconditioned conjugate gradients for M x = b, M symmetric positive definite and
/// given only as the product `apply(v) = M v`, with D = `diagonal` = diag(M):
///
///     r₀ = b − M x₀,  s₀ = D⁻¹ r₀,  p₀ = s₀,
///     αₜ = rₜᵀsₜ / pₜᵀ M pₜ,  xₜ₊₁ = xₜ + αₜ pₜ,  rₜ₊₁ = rₜ − αₜ M pₜ,
///     sₜ₊₁ = D⁻¹ rₜ₊₁,  pₜ₊₁ = sₜ₊₁ + (rₜ₊₁ᵀ sₜ₊₁ / rₜᵀ sₜ) pₜ,
///
/// until ‖rₜ‖ ≤ tolerance · ‖b‖ or `maxIterations`. Each xₜ minimises the energy
/// ½ xᵀ M x − bᵀ x over x₀ plus the (preconditioned) Krylov space of step t, so the energy
/// never increases from the start x₀ (EPLL's x-step objective is this energy, doubled, plus
/// a constant).
func conjugateGradient(
    apply: ([Double]) throws -> [Double], rightHandSide b: [Double], diagonal: [Double],
    start: [Double], tolerance: Double, maxIterations: Int
) throws -> ConjugateGradientSolution {
    func dot(_ u: [Double], _ v: [Double]) -> Double {
        var s = 0.0
        for i in u.indices { s += u[i] * v[i] }
        return s
    }
    let bNorm = dot(b, b).squareRoot()
    guard bNorm > 0 else {
        return ConjugateGradientSolution(x: [Double](repeating: 0, count: b.count), iterations: 0, relativeResidual: 0)
    }
    var x = start
    let mx = try apply(x)
    var r = (0..<b.count).map { b[$0] - mx[$0] }
    var s = (0..<b.count).map { r[$0] / diagonal[$0] }
    var p = s
    var rs = dot(r, s)
    var iterations = 0
    while iterations < maxIterations, dot(r, r).squareRoot() > tolerance * bNorm {
        let mp = try apply(p)
        let curvature = dot(p, mp)
        guard curvature > 0 else { break }
        let alpha = rs / curvature
        for i in x.indices {
            x[i] += alpha * p[i]
            r[i] -= alpha * mp[i]
            s[i] = r[i] / diagonal[i]
        }
        let next = dot(r, s)
        let ratio = next / rs
        for i in p.indices { p[i] = s[i] + ratio * p[i] }
        rs = next
        iterations += 1
    }
    let final = try apply(x)
    let residual = (0..<b.count).reduce(0.0) { $0 + (b[$1] - final[$1]) * (b[$1] - final[$1]) }.squareRoot()
    return ConjugateGradientSolution(x: x, iterations: iterations, relativeResidual: residual / bNorm)
}
