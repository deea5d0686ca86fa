import LinearAlgebra

/// A multivariate normal N(mean, covariance), as the restoration formulas hand them around.
public struct Gaussian: Sendable, Equatable {
    public var mean: [Double]
    public var covariance: Matrix

    public init(mean: [Double], covariance: Matrix) throws(LinearAlgebraError) {
        guard covariance.isSquare, covariance.rows == mean.count else {
            throw .shapeMismatch(
                "a Gaussian of dimension \(mean.count) needs a \(mean.count)x\(mean.count) covariance, got \(covariance.rows)x\(covariance.columns)")
        }
        self.mean = mean
        self.covariance = covariance
    }

    public var dimension: Int { mean.count }
}

extension Gaussian {
    /// Conditions a joint Gaussian on its second block (Lemma 1, "block conditioning").
    ///
    /// For (a, b) ~ N([μ_a; μ_b], [[Σ_aa, Σ_ab], [Σ_ba, Σ_bb]]) with a the first
    /// `firstBlockSize` coordinates,
    ///
    ///   a | b ~ N(μ_a + Σ_ab Σ_bb⁻¹ (b − μ_b),  Σ_aa − Σ_ab Σ_bb⁻¹ Σ_ba).
    ///
    /// Σ_bb⁻¹ is never formed: with Σ_bb = L Lᵀ, both terms use the Cholesky solve.
    public func conditionedOnSecondBlock(
        firstBlockSize n: Int, observed b: [Double]
    ) throws(LinearAlgebraError) -> Gaussian {
        let total = dimension
        let m = total - n
        guard n > 0, m > 0, b.count == m else {
            throw .shapeMismatch(
                "conditioning a \(total)-dimensional Gaussian: first block \(n), observed \(b.count) values")
        }
        let sigmaAA = covariance.block(rows: 0..<n, columns: 0..<n)
        let sigmaAB = covariance.block(rows: 0..<n, columns: n..<total)
        let sigmaBB = covariance.block(rows: n..<total, columns: n..<total)
        let factor = try sigmaBB.cholesky()
        // K = Σ_ab Σ_bb⁻¹, computed as (Σ_bb⁻¹ Σ_ba)ᵀ = solve(Σ_bb, Σ_abᵀ)ᵀ.
        let gain = try factor.solve(sigmaAB.transposed).transposed
        let residual = (0..<m).map { b[$0] - mean[n + $0] }
        let shift = try gain.multiplied(byVector: residual)
        let conditionalMean = (0..<n).map { mean[$0] + shift[$0] }
        let conditionalCovariance = try sigmaAA.subtracting(gain.multiplied(by: sigmaAB, transposeOther: true))
        return try Gaussian(mean: conditionalMean, covariance: conditionalCovariance.symmetrized())
    }
}

extension Matrix {
    /// The sub-matrix of the given row and column ranges.
    public func block(rows r: Range<Int>, columns c: Range<Int>) -> Matrix {
        var out = Matrix(rows: r.count, columns: c.count)
        for (i, row) in r.enumerated() {
            for (j, column) in c.enumerated() { out[i, j] = self[row, column] }
        }
        return out
    }

    /// (A + Aᵀ)/2: removes the rounding asymmetry of a computed symmetric matrix.
    public func symmetrized() -> Matrix {
        var out = self
        for i in 0..<rows {
            for j in 0..<i {
                let average = (self[i, j] + self[j, i]) / 2
                out[i, j] = average
                out[j, i] = average
            }
        }
        return out
    }
}
