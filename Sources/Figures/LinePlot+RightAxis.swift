import Foundation

extension LinePlot {
    /// Whether any series is drawn against the right (y2) axis.
    var usesRightAxis: Bool { series.contains { $0.axis == .right } }

    /// The right axis: its label, ticks (outward, not mirrored on the left) and range. gnuplot's
    /// offsets pad only the x1 and y1 axes, so without `y2Range` the range is the data's
    /// [low, high] widened by 5 % of its span at each end (of its span in decades on a
    /// logarithmic axis), the room the offsets leave on the left axis.
    var rightAxisCommands: [String] {
        guard usesRightAxis else { return [] }
        let values = series.filter { $0.axis == .right }.flatMap(\.y)
        let range = y2Range ?? Self.paddedRange(low: values.min()!, high: values.max()!, logarithmic: logY2)
        var commands: [String] = []
        if let y2Label { commands.append("set y2label \(GnuplotSyntax.quoted(y2Label))") }
        commands.append("set y2tics nomirror out scale 0.75")
        commands.append("set format y2 \"%g\"")
        if logY2 {
            let ticked = y2Range ?? (values.min()!...values.max()!)
            commands += Self.logAxisCommands("y2", values: values, range: ticked)
        }
        commands.append("set y2range [\(GnuplotSyntax.number(range.lowerBound)):\(GnuplotSyntax.number(range.upperBound))]")
        return commands
    }

    /// [low − f s, high + f s] with s = high − low and f = 0.05, in log10 on a logarithmic axis
    /// (low, high > 0); a single value gets ± 5 % of itself (± 1 for zero, a factor 1.12 on a
    /// logarithmic axis).
    static func paddedRange(low: Double, high: Double, logarithmic: Bool) -> ClosedRange<Double> {
        let fraction = 0.05
        if logarithmic {
            let decades = log10(high) - log10(low)
            let factor = decades > 0 ? pow(10, fraction * decades) : 1.12
            return (low / factor)...(high * factor)
        }
        let span = high > low ? high - low : (low == 0 ? 20 : abs(low))
        return (low - fraction * span)...(high + fraction * span)
    }
}
