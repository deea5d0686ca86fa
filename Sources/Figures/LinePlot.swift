/// A line plot of several named series: EM log-likelihood against iteration for several runs,
/// error against K, PSNR against patch size.
public struct LinePlot: Figure {
    /// One named curve.
    public struct Series: Sendable, Equatable {
        public enum Style: Sendable, Equatable {
            /// A line through the points.
            case lines
            /// A line with a marker at each point.
            case linesPoints
            /// Markers only (a scatter plot).
            case points
            /// A dashed line through the points (e.g. a reference level).
            case dashedLines
        }

        /// The vertical axis a series is drawn against.
        public enum Axis: Sendable, Equatable {
            /// The y axis on the left (`yLabel`, `logY`, `yRange`).
            case left
            /// The y2 axis on the right (`y2Label`, `logY2`, `y2Range`), for a second quantity
            /// with its own unit.
            case right
        }

        public var name: String
        public var x: [Double]
        public var y: [Double]
        public var style: Style
        /// nil takes the next colour of `Color.cycle`.
        public var color: Color?
        public var axis: Axis

        public init(name: String, x: [Double], y: [Double], style: Style = .linesPoints, color: Color? = nil,
                    axis: Axis = .left) {
            self.name = name
            self.x = x
            self.y = y
            self.style = style
            self.color = color
            self.axis = axis
        }

        /// A series over x = 1, 2, ..., y.count (e.g. EM iterations).
        public init(name: String, y: [Double], style: Style = .linesPoints, color: Color? = nil, axis: Axis = .left) {
            self.init(name: name, x: y.indices.map { Double($0 + 1) }, y: y, style: style, color: color, axis: axis)
        }
    }

    /// Where the legend goes.
    public enum Legend: Sendable, Equatable {
        case topLeft, topRight, bottomLeft, bottomRight
        /// Right of the plot, outside the axes.
        case outsideRight
        /// Under the plot, outside the axes, in as few rows as fit, half a line clear of the
        /// x label.
        case below
        case hidden
    }

    public var series: [Series]
    public var title: String?
    public var xLabel: String?
    public var yLabel: String?
    public var logX: Bool
    public var logY: Bool
    public var xRange: ClosedRange<Double>?
    public var yRange: ClosedRange<Double>?
    /// The right axis, drawn only when a series uses it (`Series.axis == .right`); nil range:
    /// its series' values with 5 % room at each end.
    public var y2Label: String?
    public var logY2: Bool
    public var y2Range: ClosedRange<Double>?
    public var legend: Legend
    public var size: PixelSize

    /// Without `xRange` the x axis spans the data plus 3 % at each end (room for the
    /// markers), not rounded out to the next tick; without `yRange` the y axis spans the data
    /// plus 5 % at each end, rounded out to the next tick on a linear axis.
    public init(series: [Series], title: String? = nil, xLabel: String? = nil, yLabel: String? = nil,
                logX: Bool = false, logY: Bool = false, xRange: ClosedRange<Double>? = nil,
                yRange: ClosedRange<Double>? = nil, y2Label: String? = nil, logY2: Bool = false,
                y2Range: ClosedRange<Double>? = nil, legend: Legend = .topRight,
                size: PixelSize = PixelSize(width: 900, height: 600)) {
        self.series = series
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.logX = logX
        self.logY = logY
        self.xRange = xRange
        self.yRange = yRange
        self.y2Label = y2Label
        self.logY2 = logY2
        self.y2Range = y2Range
        self.legend = legend
        self.size = size
    }

    public func drawing(dataFile: String) throws -> FigureDrawing {
        try validate()
        var commands: [String] = []
        if let title { commands.append("set title \(GnuplotSyntax.quoted(title)) font \",\(TextMetrics.titlePointSize)\"") }
        if let xLabel { commands.append("set xlabel \(GnuplotSyntax.quoted(xLabel))") }
        if let yLabel { commands.append("set ylabel \(GnuplotSyntax.quoted(yLabel))") }
        let left = series.filter { $0.axis == .left }
        if logX { commands += Self.logAxisCommands("x", values: series.flatMap(\.x), range: xRange) }
        if logY { commands += Self.logAxisCommands("y", values: left.flatMap(\.y), range: yRange) }
        if let xRange {
            commands.append("set xrange [\(GnuplotSyntax.number(xRange.lowerBound)):\(GnuplotSyntax.number(xRange.upperBound))]")
        } else if !logX {
            commands.append("set autoscale xfix  # the data and the offsets, not out to the next tick")
        }
        if let yRange { commands.append("set yrange [\(GnuplotSyntax.number(yRange.lowerBound)):\(GnuplotSyntax.number(yRange.upperBound))]") }
        commands += [
            "set border \(usesRightAxis ? 11 : 3) lw 1 lc rgb \"#404040\"",
            "set tics nomirror out scale 0.75",
            "set grid back lt 1 lw 1 lc rgb \"#e0e0e0\" dt solid",
            "set offsets graph 0.03, graph 0.03, graph 0.05, graph 0.05  # room for markers at the ends",
            "set format y \"%g\"",
        ]
        commands += rightAxisCommands
        commands.append(legendCommand)
        var plots: [String] = []
        for (index, series) in series.enumerated() {
            let color = GnuplotSyntax.color(series.color ?? Color.cycle[index % Color.cycle.count])
            let pointType = Self.pointTypes[index % Self.pointTypes.count]
            let style: String
            switch series.style {
            case .lines: style = "lines lw 2 lc \(color)"
            case .linesPoints: style = "linespoints lw 2 pt \(pointType) ps 1.2 lc \(color)"
            case .points: style = "points pt \(pointType) ps 1.2 lc \(color)"
            case .dashedLines: style = "lines lw 2 dt (8, 6) lc \(color)"
            }
            plots.append("\(index == 0 ? GnuplotSyntax.quoted(dataFile) : "\"\"") index \(index) "
                + "using 1:2\(series.axis == .right ? " axes x1y2" : "") with \(style) "
                + "title \(GnuplotSyntax.quoted(series.name))")
        }
        commands.append("plot " + plots.joined(separator: ", \\\n     "))
        let blocks = series.enumerated().map { index, series in
            (["# series \(index): \(series.name.replacingNewlines)", "# x y"]
                + zip(series.x, series.y).map { "\(GnuplotSyntax.number($0)) \(GnuplotSyntax.number($1))" })
                .joined(separator: "\n")
        }
        return FigureDrawing(canvasSize: size, commands: commands,
                             data: blocks.joined(separator: "\n\n\n") + "\n")
    }

    /// Filled circle, square, triangle up, triangle down, diamond, pentagon.
    static let pointTypes = [7, 5, 9, 11, 13, 15]

    private var legendCommand: String {
        switch legend {
        case .topLeft: return "set key top left inside opaque"
        case .topRight: return "set key top right inside opaque"
        case .bottomLeft: return "set key bottom left inside opaque"
        case .bottomRight: return "set key bottom right inside opaque"
        case .outsideRight: return "set key outside right top"
        case .below: return "set key below horizontal height 1.5  # clear of the x label"
        case .hidden: return "unset key"
        }
    }
}

private extension String {
    var replacingNewlines: String { split(separator: "\n").joined(separator: " ") }
}
