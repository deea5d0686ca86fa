/// Errors of the mixture engine. Every message names the input and the problem and, where
/// it helps, what to do about it.
public enum MixtureError: Error, CustomStringConvertible {
    /// K < 1, or K > N (more components than samples).
    case invalidComponentCount(components: Int, samples: Int)
    /// The data (or a batch of it) has no rows.
    case noSamples(String)
    /// A NaN or infinite value in the data, at row `row` (counted over all batches) and
    /// column `column`.
    case nonFiniteData(row: Int, column: Int, value: Double)
    /// Samples, parameters or batches whose dimension does not match.
    case dimensionMismatch(expected: Int, found: Int, context: String)
    /// A covariance whose Cholesky factorisation failed: it is singular or not positive
    /// definite. `iteration` is nil for parameters given by the caller; `regularization` is
    /// the absolute value added to the diagonal, when known.
    case singularCovariance(component: Int, iteration: Int?, regularization: Double?)
    /// Parameters that do not describe a valid model (weights not on the simplex, a
    /// non-positive variance, a non-finite mean, ...).
    case invalidParameters(String)
    /// An option out of its range (negative tolerance, zero restarts, ...).
    case invalidOption(String)
    /// A model invariant failed after an M-step: a bug in the engine, not in the input.
    case invariantViolated(String)

    public var description: String {
        switch self {
        case .invalidComponentCount(let k, let n):
            if k < 1 {
                return "cannot fit K = \(k) components: K must be at least 1"
            }
            return "cannot fit K = \(k) components to \(n) samples: K must not exceed the number of samples"
        case .noSamples(let context):
            return "no samples: \(context)"
        case .nonFiniteData(let row, let column, let value):
            return "the data has a non-finite value (\(value)) at row \(row), column \(column); "
                + "remove or impute it before fitting"
        case .dimensionMismatch(let expected, let found, let context):
            return "dimension mismatch in \(context): expected \(expected), found \(found)"
        case .singularCovariance(let k, let iteration, let regularization):
            var text = "the covariance of component \(k) is not positive definite"
            if let iteration { text += " at iteration \(iteration)" }
            if let regularization {
                text += " (regularisation \(regularization) on the diagonal)"
                if regularization == 0 {
                    text += "; with zero regularisation, data in a lower-dimensional subspace "
                        + "(constant or duplicated coordinates) gives singular covariances"
                }
            }
            return text + "; decrease K, increase the regularisation, or rescale the data"
        case .invalidParameters(let what):
            return "invalid mixture parameters: \(what)"
        case .invalidOption(let what):
            return "invalid option: \(what)"
        case .invariantViolated(let what):
            return "internal error, a model invariant failed after an M-step: \(what)"
        }
    }
}
