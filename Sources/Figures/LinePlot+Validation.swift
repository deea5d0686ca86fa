extension LinePlot {
    /// Throws a `FigureProblem` for an empty plot, a tiny canvas, an empty range, a series
    /// with unequal or no x and y values, non-finite values, or non-positive values on a
    /// logarithmic axis.
    func validate() throws {
        guard !series.isEmpty else { throw FigureProblem("the line plot has no series") }
        guard size.width >= 100, size.height >= 100 else {
            throw FigureProblem("size \(size) is too small (at least 100x100 pixels)")
        }
        for (name, range) in [("x", xRange), ("y", yRange)] {
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
            for (axis, values, isLog) in [("x", series.x, logX), ("y", series.y, logY)] {
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
