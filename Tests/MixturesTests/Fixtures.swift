import LinearAlgebra
import Mixtures
import Randomness
import TestSupport

/// Random models and data for the property tests.
enum Fixtures {
    /// A random K-component mixture of the given covariance type in dimension d: weights
    /// uniform in [1, 2] normalised, means N(0, separation² I), full covariances SPD with
    /// eigenvalues in about [0.3, 4.3], diagonal and isotropic variances in [0.3, 2.3].
    static func mixture(
        _ type: CovarianceType, components k: Int, dimension d: Int, separation: Double = 2,
        using g: inout SeededGenerator
    ) throws -> GaussianMixture {
        let raw = (0..<k).map { _ in 1 + g.nextUniform() }
        let total = raw.reduce(0, +)
        let means = RandomMatrices.gaussian(rows: k, columns: d, scale: separation, using: &g)
        let covariances: Covariances
        switch type {
        case .full:
            covariances = .full((0..<k).map { _ in RandomMatrices.spd(d, ridge: 0.3, using: &g) })
        case .diagonal:
            covariances = .diagonal(try Matrix(rows: k, columns: d, storage: (0..<(k * d)).map { _ in 0.3 + 2 * g.nextUniform() }))
        case .isotropic:
            covariances = .isotropic((0..<k).map { _ in 0.3 + 2 * g.nextUniform() })
        }
        return try GaussianMixture(weights: raw.map { $0 / total }, means: means, covariances: covariances)
    }

    /// The same mixture written out as a `KnownMixture` (full covariance matrices).
    static func known(_ m: GaussianMixture) -> KnownMixture {
        KnownMixture(weights: m.weights, means: (0..<m.componentCount).map { m.means.row($0) },
                     covariances: (0..<m.componentCount).map { m.covariance($0) })
    }

    /// N samples of a random well-conditioned K-component mixture in dimension d.
    static func data(
        samples n: Int, components k: Int, dimension d: Int, separation: Double = 3,
        using g: inout SeededGenerator
    ) -> Matrix {
        KnownMixture.random(components: k, dimension: d, separation: separation, using: &g)
            .sample(count: n, using: &g).samples
    }

    /// max |a − b| / max(1, |b|) over paired values.
    static func relativeError(_ a: [Double], _ b: [Double]) -> Double {
        Tolerance.relativeError(a, b)
    }
}
