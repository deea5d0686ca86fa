import Foundation

extension LinePlot {
    /// Tick marks for a logarithmic axis covering [low, high] (both > 0): powers of ten when
    /// that gives at least three ticks, else 1-2-5 per decade, else 1 to 9 per decade, else
    /// (a range much narrower than a decade, where the axis is nearly linear) evenly spaced
    /// ticks of step 1, 2 or 5 x 10^k. Ticks a little outside the range (up to a factor
    /// 1.15, the room left around the data) are kept; gnuplot drops those off the axis.
    /// A single value gets one tick.
    static func logTicks(low: Double, high: Double) -> [Double] {
        guard high > low else { return [low] }
        let firstDecade = Int(log10(low).rounded(.down)), lastDecade = Int(log10(high).rounded(.up))
        let lowest = low / 1.15, highest = high * 1.15
        for mantissas in [[1.0], [1, 2, 5], [1, 2, 3, 4, 5, 6, 7, 8, 9]] {
            let ticks = (firstDecade...lastDecade).flatMap { decade in
                mantissas.map { $0 * pow(10, Double(decade)) }
            }.filter { $0 >= lowest && $0 <= highest }
            if ticks.count >= 3 { return ticks }
        }
        let rough = (high - low) / 4
        let magnitude = pow(10, log10(rough).rounded(.down))
        let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= rough }!
        return (Int((low / step).rounded(.up))...Int((high / step).rounded(.down))).map { Double($0) * step }
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
