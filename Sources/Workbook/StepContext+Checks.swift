/// Verified checks: each prints its value, what it had to satisfy, and ✓ or ✗, and a failed
/// check makes the chapter exit with status 1 (after the remaining steps ran).
extension StepContext {
    /// Passes when `value ≤ tolerance` (an error, a residual, a distance). NaN fails.
    ///
    /// `ctx.check("reassembly is exact", value: maxError, below: 1e-12)`
    /// prints `✓ reassembly is exact   3.1e-16  (≤ 1e-12)`.
    public func check(_ label: String, value: Double, below tolerance: Double, digits: Int = 3) {
        addCheck(CheckRecord(
            label: label, passed: value <= tolerance,
            actual: Format.significant(value, digits: digits),
            requirement: "≤ \(Format.significant(tolerance, digits: digits))",
            value: value, bound: tolerance))
    }

    /// Passes when `value ≥ bound` (a PSNR, an improvement, a log-likelihood gain). NaN fails.
    ///
    /// `ctx.check("denoising gains", value: gain, above: 3, digits: 4)`
    public func check(_ label: String, value: Double, above bound: Double, digits: Int = 3) {
        addCheck(CheckRecord(
            label: label, passed: value >= bound,
            actual: Format.significant(value, digits: digits),
            requirement: "≥ \(Format.significant(bound, digits: digits))",
            value: value, bound: bound))
    }

    /// Passes when `actual == expected`.
    ///
    /// `ctx.check("patch count", equals: 169, actual: patches.count)`
    /// prints `✓ patch count   169  (= 169)`.
    public func check<Value: Equatable>(_ label: String, equals expected: Value, actual: Value) {
        addCheck(CheckRecord(
            label: label, passed: actual == expected,
            actual: String(describing: actual),
            requirement: "= \(String(describing: expected))",
            value: Self.number(actual), bound: nil))
    }

    /// Passes when `condition` is true; `detail` says what was found.
    ///
    /// `ctx.check("lower bound never decreases", holds: decreases == 0, detail: "\(n) iterations")`
    public func check(_ label: String, holds condition: Bool, detail: String = "") {
        addCheck(CheckRecord(
            label: label, passed: condition,
            actual: detail.isEmpty ? String(condition) : detail,
            requirement: "holds", value: nil, bound: nil))
    }

    /// `value` as a Double when it is a standard number type.
    private static func number(_ value: some Equatable) -> Double? {
        switch value {
        case let value as Double: value
        case let value as Int: Double(value)
        case let value as Float: Double(value)
        default: nil
        }
    }
}
