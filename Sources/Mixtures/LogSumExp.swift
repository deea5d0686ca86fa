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
///   ℓᵢ = log Σₖ exp(aᵢₖ) = log p(xᵢ),   cᵢₖ = exp(aᵢₖ − ℓᵢ),
/// so every row sums to one. A row that is −∞ everywhere (no component can explain the
/// sample) gets ℓᵢ = −∞ and equal responsibilities 1/K.
func normalizeRowsInLogSpace(
    _ values: UnsafeMutablePointer<Double>, rows: Int, columns: Int,
    logNormalizers: UnsafeMutablePointer<Double>
) {
    for i in 0..<rows {
        let row = values + i * columns
        let l = logSumExp(UnsafePointer(row), count: columns)
        logNormalizers[i] = l
        if l.isFinite {
            for k in 0..<columns { row[k] = exp(row[k] - l) }
        } else {
            for k in 0..<columns { row[k] = 1 / Double(columns) }
        }
    }
}
