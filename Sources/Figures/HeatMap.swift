/// A matrix drawn as coloured cells with a colour bar, e.g. a covariance matrix.
/// Entry (i, j) is the cell in row i (from the top) and column j.
public struct HeatMap: Figure {
    public enum Palette: Sendable, Equatable {
        /// Dark blue to yellow (viridis): for values with no natural centre.
        case sequential
        /// Blue, white at zero, red; the default range is symmetric about zero.
        case diverging
        /// Black to white.
        case gray
    }

    public var rows: Int
    public var columns: Int
    /// Row-major: `values[i * columns + j]`.
    public var values: [Double]
    public var title: String?
    public var xLabel: String?
    public var yLabel: String?
    /// The label of the colour bar.
    public var valueLabel: String?
    public var palette: Palette
    /// The values at the ends of the colour bar; nil uses the data's range (symmetric about
    /// zero for the diverging palette).
    public var range: ClosedRange<Double>?
    public var size: PixelSize

    public init(rows: Int, columns: Int, values: [Double], title: String? = nil,
                xLabel: String? = nil, yLabel: String? = nil, valueLabel: String? = nil,
                palette: Palette = .sequential, range: ClosedRange<Double>? = nil,
                size: PixelSize = PixelSize(width: 800, height: 680)) {
        self.rows = rows
        self.columns = columns
        self.values = values
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.valueLabel = valueLabel
        self.palette = palette
        self.range = range
        self.size = size
    }

    public func drawing(dataFile: String) throws -> FigureDrawing {
        let range = try colorRange()
        let n = GnuplotSyntax.number
        var commands: [String] = []
        if let title { commands.append("set title \(GnuplotSyntax.quoted(title)) font \",\(TextMetrics.titlePointSize)\"") }
        if let xLabel { commands.append("set xlabel \(GnuplotSyntax.quoted(xLabel))") }
        if let yLabel { commands.append("set ylabel \(GnuplotSyntax.quoted(yLabel))") }
        if let valueLabel { commands.append("set cblabel \(GnuplotSyntax.quoted(valueLabel))") }
        commands += [
            "unset key",
            "set size ratio -1  # square cells",
            "set xrange [-0.5:\(n(Double(columns) - 0.5))]",
            "set yrange [\(n(Double(rows) - 0.5)):-0.5]  # row 0 at the top",
            "set tics out nomirror scale 0.75",
            "set xtics 0, \(Self.tickStep(columns)); set ytics 0, \(Self.tickStep(rows))",
            "set cbtics out",
            "set cbrange [\(n(range.lowerBound)):\(n(range.upperBound))]",
            paletteCommand,
            "set colorbox",
            "plot \(GnuplotSyntax.quoted(dataFile)) matrix using 1:2:3 with image",
        ]
        var lines = ["# \(rows)x\(columns) matrix, one line per row"]
        for i in 0..<rows {
            lines.append(values[(i * columns)..<((i + 1) * columns)].map(GnuplotSyntax.number).joined(separator: " "))
        }
        return FigureDrawing(canvasSize: size, commands: commands, data: lines.joined(separator: "\n") + "\n")
    }

    private var paletteCommand: String {
        switch palette {
        case .sequential:
            return "set palette defined (0 \"#440154\", 1 \"#3b528b\", 2 \"#21918c\", 3 \"#5ec962\", 4 \"#fde725\")"
        case .diverging:
            return "set palette defined (0 \"#2166ac\", 1 \"#67a9cf\", 2 \"#f7f7f7\", 3 \"#ef8a62\", 4 \"#b2182b\")"
        case .gray:
            return "set palette gray gamma 1.0"
        }
    }

    /// Checks the matrix and returns the colour range: the one given, or the data's
    /// [min, max] (diverging: [-m, m] with m = max |value|); a constant matrix gets a range
    /// of width 2 (or 2|value| x 1e-3 if larger) around its value.
    private func colorRange() throws -> ClosedRange<Double> {
        guard rows > 0, columns > 0 else { throw FigureProblem("the heat map is \(rows)x\(columns); both must be at least 1") }
        guard values.count == rows * columns else {
            throw FigureProblem("the heat map has \(values.count) values but rows x columns = \(rows) x \(columns) = \(rows * columns)")
        }
        if let index = values.firstIndex(where: { !$0.isFinite }) {
            throw FigureProblem("the heat map has a non-finite value (\(values[index])) at row \(index / columns), column \(index % columns)")
        }
        guard size.width >= 100, size.height >= 100 else {
            throw FigureProblem("size \(size) is too small (at least 100x100 pixels)")
        }
        if let range {
            guard range.lowerBound.isFinite, range.upperBound.isFinite, range.lowerBound < range.upperBound else {
                throw FigureProblem("colour range \(range) needs finite bounds with min < max")
            }
            return range
        }
        var low = values.min()!, high = values.max()!
        if palette == .diverging {
            high = max(abs(low), abs(high))
            low = -high
        }
        if low == high {
            let half = max(1, abs(low) * 1e-3)
            return (low - half)...(high + half)
        }
        return low...high
    }

    /// A tick step giving at most about 10 ticks: 1, 2, 5, 10, 20, 50, ...
    static func tickStep(_ count: Int) -> Int {
        var step = 1
        while count / step > 10 {
            let mantissa = String(step).first!
            step = mantissa == "2" ? step / 2 * 5 : step * 2
        }
        return step
    }
}
