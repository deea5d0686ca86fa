import Foundation

/// log Σⱼ exp(aⱼ), computed as m + log Σⱼ exp(aⱼ − m) with m = maxⱼ aⱼ, so that no term
/// overflows and the largest term contributes exp(0) = 1 (no total underflow).
///
/// Returns −∞ for an empty list or when every aⱼ is −∞.
///
/// Mathematical properties (tested in `LogSumExpLaws`):
/// - shift: logSumExp(a + c) = logSumExp(a) + c, also for |c| far beyond exp's range;
/// - bounds: max a ≤ logSumExp(a) ≤ max a + log n;
/// - agrees with log(Σ exp aⱼ) where that does not overflow.
public func logSumExp(_ values: [Double]) -> Double {
    values.withUnsafeBufferPointer { logSumExp($0.baseAddress, count: $0.count) }
}

/// `logSumExp` over `count` values at `p`.
@inline(__always)
func logSumExp(_ p: UnsafePointer<Double>?, count: Int) -> Double {
    guard let p, count > 0 else { return -.infinity }
    var m = -Double.infinity
    for j in 0..<count { m = max(m, p[j]) }
    guard m.isFinite else { return m }  // all −∞ (or a +∞ term)
    var s = 0.0
    for j in 0..<count { s += exp(p[j] - m) }
    return m + log(s)
}

/// Turns each of `rows` rows of `columns` log-values aᵢₖ = log(πₖ pₖ(xᵢ)) into
/// responsibilities in place, and writes the normalisers:
///   mᵢ = maxₖ aᵢₖ,  eᵢₖ = exp(aᵢₖ − mᵢ),  sᵢ = Σₖ eᵢₖ,
///   ℓᵢ = mᵢ + log sᵢ = log p(xᵢ),   cᵢₖ = eᵢₖ / sᵢ,
/// (one exponential per entry; dividing by sᵢ rather than subtracting log sᵢ before the
/// exponential keeps each cᵢₖ within a few ulps, so every row sums to one to rounding).
/// A row that is −∞ everywhere (no component can explain the sample) gets ℓᵢ = −∞ and equal
/// responsibilities 1/K.
func normalizeRowsInLogSpace(
    _ values: UnsafeMutablePointer<Double>, rows: Int, columns: Int,
    logNormalizers: UnsafeMutablePointer<Double>
) {
    for i in 0..<rows {
        let row = values + i * columns
        var m = -Double.infinity
        for k in 0..<columns { m = max(m, row[k]) }
        guard m.isFinite else {
            logNormalizers[i] = m
            for k in 0..<columns { row[k] = 1 / Double(columns) }
            continue
        }
        var s = 0.0
        for k in 0..<columns {
            let e = exp(row[k] - m)
            row[k] = e
            s += e
        }
        logNormalizers[i] = m + log(s)
        let inverse = 1 / s
        for k in 0..<columns { row[k] *= inverse }
    }
}
