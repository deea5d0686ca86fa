import LinearAlgebra

extension MixtureModel {
    /// zᵢ = argmaxₖ cᵢₖ = argmaxₖ (log πₖ + log pₖ(xᵢ)), the most probable component of
    /// every row of `x` (the lowest index on a tie).
    public func mostProbableComponents(_ x: Matrix) throws -> [Int] {
        let k = componentCount
        var out = [Int](repeating: 0, count: x.rows)
        try evaluate(x) { block, workspace in
            for i in 0..<block.rows {
                var best = 0
                for j in 1..<max(k, 1) where workspace.logDensities[i * k + j] > workspace.logDensities[i * k + best] {
                    best = j
                }
                out[block.firstRow + i] = best
            }
        }
        return out
    }
}

extension GaussianMixture {
    /// Vector quantisation by the mixture: every row xᵢ replaced by μ_{zᵢ}, the mean of its
    /// most probable component, with the labels zᵢ (`mostProbableComponents`).
    public func quantized(_ x: Matrix) throws -> (values: Matrix, labels: [Int]) {
        let labels = try mostProbableComponents(x)
        return (means.rows(labels), labels)
    }

    /// The mean squared quantisation error (1/N) Σᵢ ‖xᵢ − μ_{zᵢ}‖².
    public func quantizationError(_ x: Matrix) throws -> Double {
        guard x.rows > 0 else { throw MixtureError.noSamples("the data to quantise has no rows") }
        let q = try quantized(x).values
        var total = 0.0
        for (a, b) in zip(x.storage, q.storage) { total += (a - b) * (a - b) }
        return total / Double(x.rows)
    }
}
