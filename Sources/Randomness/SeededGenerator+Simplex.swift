import Foundation

extension SeededGenerator {
    /// A uniformly random point of the probability simplex {π ∈ ℝᴷ : πₖ ≥ 0, Σₖ πₖ = 1},
    /// i.e. a draw from the flat Dirichlet distribution Dir(1, …, 1).
    ///
    /// With Eₖ = −log(1 − Uₖ) i.i.d. standard exponential (Uₖ uniform in [0, 1)),
    ///   πₖ = Eₖ / Σⱼ Eⱼ
    /// is Dir(1, …, 1): the exponential is the Gamma(1) distribution, and normalised
    /// independent Gamma(αₖ) variables are Dir(α).
    ///
    /// Mathematical properties (tested in `UniformSimplexPointLaws`):
    /// - every coordinate is non-negative and the coordinates sum to one;
    /// - each coordinate has the Beta(1, K − 1) marginal: P(πₖ ≤ t) = 1 − (1 − t)^(K−1),
    ///   with mean 1/K.
    public mutating func uniformSimplexPoint(dimension k: Int) -> [Double] {
        precondition(k >= 1, "a simplex point needs at least one coordinate, not \(k)")
        let e = (0..<k).map { _ in -log(1 - nextUniform()) }
        let total = e.reduce(0, +)
        guard total > 0 else { return [Double](repeating: 1 / Double(k), count: k) }
        return e.map { $0 / total }
    }
}
