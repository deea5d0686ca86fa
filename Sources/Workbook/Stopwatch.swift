/// Wall-clock timing of a piece of work, in seconds (the monotonic `ContinuousClock`).
public struct Stopwatch: Sendable {
    private let start: ContinuousClock.Instant

    /// Starts timing now.
    public init() {
        start = ContinuousClock.now
    }

    /// Seconds since the stopwatch started.
    public var elapsed: Double {
        let duration = ContinuousClock.now - start
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) * 1e-18
    }

    /// Runs `body` and returns the seconds it took.
    public static func measure(_ body: () throws -> Void) rethrows -> Double {
        let stopwatch = Stopwatch()
        try body()
        return stopwatch.elapsed
    }

    /// Runs `body` and returns its value with the seconds it took.
    public static func timed<Value>(_ body: () throws -> Value) rethrows -> (value: Value, seconds: Double) {
        let stopwatch = Stopwatch()
        let value = try body()
        return (value, stopwatch.elapsed)
    }
}
