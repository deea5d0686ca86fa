/// Errors of the linear-algebra layer. Each message says what went wrong and, where it
/// helps, what to do about it.
public enum LinearAlgebraError: Error, Equatable, CustomStringConvertible {
    /// The operands' shapes do not fit the operation.
    case shapeMismatch(String)
    /// Cholesky failed: the leading minor of order `minor` is not positive.
    case notPositiveDefinite(order: Int, minor: Int)
    /// A LAPACK routine reported failure.
    case lapackFailure(routine: String, info: Int)

    public var description: String {
        switch self {
        case .shapeMismatch(let what):
            return "shape mismatch: \(what)"
        case .notPositiveDefinite(let order, let minor):
            return "the \(order)x\(order) matrix is not positive definite "
                + "(its leading minor of order \(minor) is not positive); "
                + "add regularisation to the diagonal or check the data for constant or duplicated directions"
        case .lapackFailure(let routine, let info):
            return "LAPACK \(routine) failed (info = \(info))"
        }
    }
}
