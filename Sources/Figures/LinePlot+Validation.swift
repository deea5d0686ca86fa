extension LinePlot {
    /// Throws a `FigureProblem` for an empty plot, a tiny canvas, an empty range, a series
    /// with unequal or no x and y values, non-finite values, non-positive values on a
    /// logarithmic axis, no series on the left axis, or right-axis settings without a series
    /// on the right axis.
    func validate() throws {
        guard !series.isEmpty else { throw FigureProblem("the line plot has no series") }
        guard size.width >= 100, size.height >= 100 else {
            throw FigureProblem("size \(size) is too small (at least 100x100 pixels)")
        }
        guard series.contains(where: { $0.axis == .left }) else {
            throw FigureProblem("every series is on the right axis; put at least one on the left")
        }
        if !usesRightAxis && (y2Label != nil || logY2 || y2Range != nil) {
            throw FigureProblem("the right axis has a label, range or log scale but no series uses it")
        }
        for (name, range) in [("x", xRange), ("y", yRange), ("y2", y2Range)] {
            if let range, !(range.lowerBound.isFinite && range.upperBound.isFinite && range.lowerBound < range.upperBound) {
                throw FigureProblem("\(name) range \(range) needs finite bounds with min < max")
            }
        }
        for series in series {
            let what = "series '\(series.name)'"
            guard series.x.count == series.y.count else {
                throw FigureProblem("\(what) has \(series.x.count) x values but \(series.y.count) y values")
            }
            guard !series.x.isEmpty else { throw FigureProblem("\(what) has no points") }
            let (yAxis, isLogY) = series.axis == .left ? ("y", logY) : ("y2", logY2)
            for (axis, values, isLog) in [("x", series.x, logX), (yAxis, series.y, isLogY)] {
                if let index = values.firstIndex(where: { !$0.isFinite }) {
                    throw FigureProblem("\(what) has a non-finite \(axis) value (\(values[index])) at point \(index)")
                }
                if isLog, let index = values.firstIndex(where: { $0 <= 0 }) {
                    throw FigureProblem("\(what) has \(axis) = \(values[index]) at point \(index), "
                        + "but the \(axis) axis is logarithmic (values must be positive)")
                }
            }
        }
    }
}
