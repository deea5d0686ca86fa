/// Element-wise arithmetic on matrices of the same shape, and scaling.
extension Matrix {
    /// A + B. Throws on a shape mismatch.
    public func adding(_ other: Matrix) throws(LinearAlgebraError) -> Matrix {
        try combined(with: other, "add", +)
    }

    /// A − B. Throws on a shape mismatch.
    public func subtracting(_ other: Matrix) throws(LinearAlgebraError) -> Matrix {
        try combined(with: other, "subtract", -)
    }

    /// s A.
    public func scaled(by s: Double) -> Matrix {
        var out = self
        for i in out.storage.indices { out.storage[i] *= s }
        return out
    }

    /// Adds `value` to every diagonal entry (regularisation: Σ + εI).
    public mutating func addToDiagonal(_ value: Double) {
        for i in 0..<min(rows, columns) { storage[i * columns + i] += value }
    }

    /// The largest |a_ij|, 0 for an empty matrix.
    public var maxAbs: Double {
        storage.reduce(0) { max($0, abs($1)) }
    }

    /// The Frobenius norm √(Σ a_ij²).
    public var frobeniusNorm: Double {
        storage.reduce(0) { $0 + $1 * $1 }.squareRoot()
    }

    /// The sum of the diagonal.
    public var trace: Double {
        diagonalEntries.reduce(0, +)
    }

    private func combined(
        with other: Matrix, _ name: String, _ op: (Double, Double) -> Double
    ) throws(LinearAlgebraError) -> Matrix {
        guard rows == other.rows, columns == other.columns else {
            throw .shapeMismatch(
                "cannot \(name) a \(rows)x\(columns) and a \(other.rows)x\(other.columns) matrix")
        }
        var out = self
        for i in out.storage.indices { out.storage[i] = op(storage[i], other.storage[i]) }
        return out
    }
}
