import Foundation

extension LinePlot {
    /// Tick marks for a logarithmic axis covering [low, high] (both > 0): powers of ten when
    /// that gives at least three ticks, else 1-2-5 per decade, else 1 to 9 per decade,
    /// so that even a range narrower than a decade is labelled. Ticks a little outside the
    /// range (up to a factor 1.15, the room left around the data) are kept; gnuplot drops
    /// those outside the final axis range.
    static func logTicks(low: Double, high: Double) -> [Double] {
        let firstDecade = Int(log10(low).rounded(.down)), lastDecade = Int(log10(high).rounded(.up))
        let lowest = low / 1.15, highest = high * 1.15
        var ticks: [Double] = []
        for mantissas in [[1.0], [1, 2, 5], [1, 2, 3, 4, 5, 6, 7, 8, 9]] {
            ticks = (firstDecade...lastDecade).flatMap { decade in
                mantissas.map { $0 * pow(10, Double(decade)) }
            }.filter { $0 >= lowest && $0 <= highest }
            if ticks.count >= 3 { break }
        }
        return ticks
    }

    /// The commands that make `axis` ("x" or "y") logarithmic over `values`: tight autoscale
    /// (plus the plot's offsets) instead of extending to whole decades, and explicit ticks.
    static func logAxisCommands(_ axis: String, values: [Double], range: ClosedRange<Double>?) -> [String] {
        let low = range?.lowerBound ?? values.min()!, high = range?.upperBound ?? values.max()!
        let ticks = logTicks(low: low, high: high).map { "\(GnuplotSyntax.quoted(String(format: "%g", $0))) \(GnuplotSyntax.number($0))" }
        return [
            "set logscale \(axis)",
            "set autoscale \(axis)fix",
            "set \(axis)tics (\(ticks.joined(separator: ", ")))",
        ]
    }
}
