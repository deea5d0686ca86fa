import Foundation
import Testing
@testable import Figures

/// The gnuplot commands behind each drawing option: legend below, axis ranges, the right
/// axis, dashed lines, tile frames, text overlays, the colour key and blank NaN pixels.
@Suite struct ScriptOptions {
    private func commands(_ figure: some Figure) throws -> [String] {
        try figure.drawing(dataFile: "f.dat").commands
    }

    private func plotLine(_ commands: [String]) -> String {
        commands.first { $0.hasPrefix("plot ") } ?? ""
    }

    private let rising = LinePlot.Series(name: "count", x: [4, 8, 12], y: [100, 1000, 10000])
    private let memory = LinePlot.Series(name: "MiB", x: [4, 8, 12], y: [6, 200, 330], axis: .right)

    @Test func legendBelowLeavesRoomUnderTheXLabel() throws {
        let plot = LinePlot(series: [rising], xLabel: "m", legend: .below)
        #expect(try commands(plot).contains("set key below horizontal height 1.5  # clear of the x label"))
        #expect(try !commands(LinePlot(series: [rising])).contains { $0.contains("height 1.5") })
    }

    /// Without an x range the axis is the data plus the offsets (not rounded out to a tick);
    /// a given range is used as is; a logarithmic axis is fixed once, by its own commands.
    @Test(arguments: [(nil, false, 1), (0.0...20.0, false, 0), (nil, true, 1), (1.0...20.0, true, 1)])
    func xAxisIsFixedToTheDataUnlessARangeIsGiven(range: ClosedRange<Double>?, logX: Bool, fixes: Int) throws {
        let lines = try commands(LinePlot(series: [rising], logX: logX, xRange: range))
        #expect(lines.filter { $0.hasPrefix("set autoscale xfix") }.count == fixes)
        #expect(lines.contains { $0.hasPrefix("set xrange") } == (range != nil))
    }

    @Test func seriesOnTheRightAxisGetTheirOwnAxis() throws {
        let plot = LinePlot(series: [rising, memory], yLabel: "patches", logY: true,
                            y2Label: "memory (MiB)", logY2: true)
        let lines = try commands(plot)
        #expect(lines.contains("set border 11 lw 1 lc rgb \"#404040\""))
        #expect(lines.contains("set y2label \"memory (MiB)\""))
        #expect(lines.contains("set logscale y2"))
        #expect(lines.contains("set y2tics nomirror out scale 0.75"))
        // Left axis ticks from the left series only, right axis ticks from the right ones.
        #expect(lines.contains("set ytics (\"100\" 100.0, \"1000\" 1000.0, \"10000\" 10000.0)"))
        #expect(lines.contains { $0.hasPrefix("set y2tics (") && $0.contains("\"10\" 10.0") && !$0.contains("10000") })
        let plotted = plotLine(lines).components(separatedBy: "\\\n")
        #expect(plotted.count == 2)
        #expect(!plotted[0].contains("axes x1y2") && plotted[1].contains("axes x1y2"))
        let range = LinePlot.paddedRange(low: 6, high: 330, logarithmic: true)
        #expect(lines.contains("set y2range [\(GnuplotSyntax.number(range.lowerBound)):\(GnuplotSyntax.number(range.upperBound))]"))
    }

    @Test func withoutRightSeriesThereIsNoRightAxis() throws {
        let lines = try commands(LinePlot(series: [rising]))
        #expect(lines.contains("set border 3 lw 1 lc rgb \"#404040\""))
        #expect(!lines.contains { $0.contains("y2") })
    }

    @Test func givenRightRangeIsUsedAsIs() throws {
        let lines = try commands(LinePlot(series: [rising, memory], y2Range: 0...400))
        #expect(lines.contains("set y2range [0.0:400.0]"))
    }

    /// The padded range holds the data with 5 % of its span (in decades when logarithmic)
    /// free at each end.
    @Test(arguments: [(0.0, 10.0, false), (-3.5, 2.25, false), (6.0, 330.0, true), (1e-9, 1e-3, true),
                      (7.0, 7.0, false), (0.0, 0.0, false), (42.0, 42.0, true)])
    func paddedRangeLeavesFivePercentAtEachEnd(low: Double, high: Double, logarithmic: Bool) {
        let range = LinePlot.paddedRange(low: low, high: high, logarithmic: logarithmic)
        #expect(range.lowerBound < low && range.upperBound > high)
        let measure = { (value: Double) in logarithmic ? log10(value) : value }
        let span = measure(range.upperBound) - measure(range.lowerBound)
        if high > low {
            let room = (measure(low) - measure(range.lowerBound)) / span
            #expect(abs(room - 0.05 / 1.1) < 1e-9)
            #expect(abs((measure(range.upperBound) - measure(high)) / span - room) < 1e-9)
        }
    }

    @Test(arguments: [
        (LinePlot(series: [LinePlot.Series(name: "a", y: [1, 2])], y2Label: "unused"),
         "the right axis has a label, range or log scale but no series uses it"),
        (LinePlot(series: [LinePlot.Series(name: "a", y: [1, 2], axis: .right)]),
         "every series is on the right axis; put at least one on the left"),
        (LinePlot(series: [LinePlot.Series(name: "a", y: [1, 2]), LinePlot.Series(name: "b", y: [1, 0], axis: .right)], logY2: true),
         "series 'b' has y2 = 0.0 at point 1, but the y2 axis is logarithmic (values must be positive)"),
    ])
    func inconsistentRightAxisIsRefused(plot: LinePlot, problem: String) {
        #expect(throws: FigureProblem.self) { try plot.drawing(dataFile: "f.dat") }
        do { _ = try plot.drawing(dataFile: "f.dat") } catch { #expect("\(error)" == problem) }
    }

    @Test func dashedSeriesIsDrawnDashed() throws {
        let plot = LinePlot(series: [rising, LinePlot.Series(name: "level", x: [4, 12], y: [500, 500], style: .dashedLines)])
        let plotted = plotLine(try commands(plot)).components(separatedBy: "\\\n")
        #expect(!plotted[0].contains("dt ") && plotted[1].contains("with lines lw 2 dt (8, 6)"))
    }

    /// Every tile of a grid gets its frame, half a canvas pixel outside the image.
    @Test(arguments: [(3, 1), (5, 4)])
    func everyGridTileIsFramed(count: Int, scale: Int) throws {
        let image = GrayImage(width: 6, height: 4, pixels: Array(repeating: 255, count: 24))
        let grid = ImageGrid(cells: Array(repeating: .gray(image), count: count), columns: 2, scale: scale)
        let lines = try commands(grid)
        let frames = lines.filter { $0.hasPrefix("set object 1 rectangle") }
        #expect(frames.count == count)
        let out = 0.5 / Double(scale)
        let n = GnuplotSyntax.number
        #expect(frames.allSatisfy { $0.hasPrefix("set object 1 rectangle from \(n(-out)),\(n(-out)) to \(n(6 + out)),\(n(4 + out)) front") })
        // Each frame is set before its own image's plot.
        let plots = lines.indices.filter { lines[$0].contains("with image") }
        let frameLines = lines.indices.filter { lines[$0].hasPrefix("set object 1") }
        #expect(zip(frameLines, plots).allSatisfy { $0 < $1 })
        #expect(try !commands(AnnotatedImage(.gray(image))).contains { $0.contains("set object 1") })
    }

    /// gnuplot anchors a label's first line, so a block of n lines is anchored (n − 1)/2
    /// line pitches above the row it is centred on.
    @Test(arguments: [("one line", 0), ("two\nlines", 1), ("three\nshort\nlines", 2)])
    func multiLineLabelIsCentredOnItsRow(text: String, extraLines: Int) {
        let canvas = Canvas(size: PixelSize(width: 400, height: 300))
        let pitch = TextMetrics.linePitch(pointSize: 14)
        let anchor = 150 - extraLines * pitch / 2
        #expect(canvas.label(text, x: 200, y: 150, pointSize: 14).contains("at screen sx(200), sy(\(anchor)) center"))
    }

    @Test func textOverlayIsALabelAtItsPoint() throws {
        let figure = AnnotatedImage(.gray(Samples.digit(0)), overlays: [.text("π₁ = 1", x: 0, y: 29.5, color: .red)])
        #expect(try commands(figure).contains("set label \"π₁ = 1\" at 0.0,29.5 center front textcolor rgb \"#d62728\""))
    }

    @Test func colourKeyWidensTheCanvasAndLabelsItsTicks() throws {
        let image = GrayImage(width: 20, height: 10, pixels: (0..<200).map { -Double($0 % 16) / 10 }, displayRange: -1.5...0)
        let plain = AnnotatedImage(.gray(image), scale: 10)
        var keyed = plain
        keyed.colorKey = .init(ticks: [.init(0, "0"), .init(-1.5, "≤ −1.5")], label: "nats")
        #expect(try keyed.canvasSize().width == plain.canvasSize().width + keyed.colorKey!.width)
        #expect(try keyed.canvasSize().height == plain.canvasSize().height)
        let lines = try commands(keyed)
        #expect(lines.contains("set cbtics (\"0\" 0.0, \"≤ −1.5\" -1.5) out nomirror scale 0.75"))
        #expect(lines.contains("set cblabel \"nats\""))
        // The bar stands right of the image, as tall as it.
        let box = try #require(lines.first { $0.hasPrefix("set colorbox user") })
        #expect(box.hasSuffix("size screen 20 / canvas_width, 100 / canvas_height"))
        #expect(try !commands(plain).contains { $0.hasPrefix("set colorbox user") })
    }

    @Test(arguments: [
        (AnnotatedImage(.rgb(Samples.segmentation(0)), colorKey: .init(ticks: [.init(0, "0")])),
         "a colour key needs a gray image (an RGB image has no palette)"),
        (AnnotatedImage(.gray(Samples.digit(0)), colorKey: .init(ticks: [.init(300, "300")])),
         "colour key tick '300' at 300.0 is outside the display range 0.0...255.0"),
        (AnnotatedImage(.gray(Samples.digit(0)), colorKey: .init(ticks: [])), "the colour key has no ticks"),
        (AnnotatedImage(.gray(Samples.digit(0)), border: 4), "border 4 is below the image panel's padding 10"),
        (AnnotatedImage(.gray(GrayImage(width: 2, height: 1, pixels: [1, .nan]))),
         "the image has a non-finite value (nan) at row 0, column 1"),
        (AnnotatedImage(.gray(GrayImage(width: 2, height: 1, pixels: [1, .infinity], nanIsBlank: true))),
         "the image has a non-finite value (inf) at row 0, column 1"),
    ])
    func inconsistentAnnotatedImageIsRefused(figure: AnnotatedImage, problem: String) {
        #expect(throws: FigureProblem.self) { try figure.drawing(dataFile: "f.dat") }
        do { _ = try figure.drawing(dataFile: "f.dat") } catch { #expect("\(error)" == problem) }
    }

    /// A triangle on a blank page with a colour key and corner labels, written end to end:
    /// the NaN pixels go to the data file as "nan", which gnuplot accepts.
    @Test func triangleWithBlankOutsideColourKeyAndLabels() throws {
        try withFigureDirectory("triangle") { directory in
            let side = 24
            let pixels = (0..<(side * side)).map { index -> Double in
                let row = index / side, column = index % side
                return abs(column - side / 2) * 2 <= row ? -Double(row) / Double(side) : .nan
            }
            let image = GrayImage(width: side, height: side, pixels: pixels, displayRange: -1...0, nanIsBlank: true)
            let figure = AnnotatedImage(
                .gray(image),
                overlays: [.text("left", x: 0, y: Double(side) + 1.5), .text("right", x: Double(side), y: Double(side) + 1.5)],
                title: "A triangle", scale: 10, border: 40,
                colorKey: .init(ticks: [.init(0, "0"), .init(-0.5, "−0.5"), .init(-1, "≤ −1")], label: "value"))
            let written = try FigureWriter(directory: directory, announces: false).write(figure, name: "triangle")
            try checkWrittenFigure(written, in: directory, name: "triangle", size: try figure.canvasSize())
            let data = try String(contentsOfFile: written.data, encoding: .utf8)
            #expect(data.contains("0 0 nan"))
        }
    }

    @Test func plotWithARightAxisIsDrawn() throws {
        try withFigureDirectory("right-axis") { directory in
            let plot = LinePlot(series: [rising, memory], xLabel: "patch size m (pixels)", yLabel: "patches",
                                logY: true, y2Label: "memory (MiB)", logY2: true, legend: .below,
                                size: PixelSize(width: 640, height: 420))
            let written = try FigureWriter(directory: directory, announces: false).write(plot, name: "counts")
            try checkWrittenFigure(written, in: directory, name: "counts", size: PixelSize(width: 640, height: 420))
        }
    }
}
