import LinearAlgebra

/// The DC component of patches: each patch's mean value.
///
/// Natural-image priors often model the patch with its mean removed (z − z̄ 1), because
/// brightness varies far more across an image than texture does; the mean is then handled
/// outside the prior (for denoising, the noisy patch's mean is an estimate of it with noise
/// variance σ²/m²).
extension Matrix {
    /// Subtracts each row's mean from the row and returns the means.
    public mutating func removeRowMeans() -> [Double] {
        let d = columns
        guard d > 0 else { return [Double](repeating: 0, count: rows) }
        var means = [Double](repeating: 0, count: rows)
        storage.withUnsafeMutableBufferPointer { p in
            for i in 0..<rows {
                var s = 0.0
                for j in 0..<d { s += p[i * d + j] }
                let mean = s / Double(d)
                means[i] = mean
                for j in 0..<d { p[i * d + j] -= mean }
            }
        }
        return means
    }

    /// Adds `values[i]` to every entry of row i (undoing `removeRowMeans`).
    public mutating func addToRows(_ values: [Double]) {
        precondition(values.count == rows, "\(values.count) values for \(rows) rows")
        let d = columns
        storage.withUnsafeMutableBufferPointer { p in
            for i in 0..<rows { for j in 0..<d { p[i * d + j] += values[i] } }
        }
    }
}
