import LinearAlgebra

/// Runs a restoration with the model file `path`, so that a numerical failure inside it (a
/// covariance that a Cholesky factorisation rejects: a damaged or absurd model) names the
/// file rather than an anonymous matrix.
func restoring<T>(withModel path: String, _ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as LinearAlgebraError {
        throw InputError("restoring with the model '\(path)' failed: \(error) (is the model file damaged?)")
    }
}
