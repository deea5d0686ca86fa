import LinearAlgebra
import Randomness

extension GaussianMixture {
    /// `count` samples from the mixture, one a row: component k with probability πₖ, then
    /// x = μₖ + Lₖ z with Σₖ = Lₖ Lₖᵀ and z ~ N(0, I).
    ///
    /// Mathematical properties (tested in `SamplingMoments`):
    /// - the samples have mean Σₖ πₖ μₖ and covariance Σₖ πₖ (Σₖ + μₖμₖᵀ) − m mᵀ, and the
    ///   fraction from component k tends to πₖ.
    public func sample(count: Int, using generator: inout SeededGenerator) -> Matrix {
        sampleWithComponents(count: count, using: &generator).samples
    }

    /// Samples and the component each was drawn from.
    public func sampleWithComponents(
        count: Int, using generator: inout SeededGenerator
    ) -> (samples: Matrix, components: [Int]) {
        let d = dimension
        // The covariances are positive definite (checked by the initialiser).
        let factors = (0..<componentCount).map { try! covariance($0).cholesky().lower }
        var out = Matrix(rows: count, columns: d)
        var labels: [Int] = []
        for i in 0..<count {
            let k = drawComponent(weights: weights, using: &generator)
            labels.append(k)
            let z = generator.gaussians(count: d)
            for r in 0..<d {
                var s = means[k, r]
                for j in 0...r { s += factors[k][r, j] * z[j] }
                out[i, r] = s
            }
        }
        return (out, labels)
    }
}

/// k with probability πₖ (inverse CDF of the weights).
func drawComponent(weights: [Double], using generator: inout SeededGenerator) -> Int {
    let u = generator.nextUniform()
    var cumulative = 0.0
    for (k, w) in weights.enumerated() {
        cumulative += w
        if u < cumulative { return k }
    }
    return weights.lastIndex(where: { $0 > 0 }) ?? 0
}
