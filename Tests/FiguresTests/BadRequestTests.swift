import Foundation
import Testing
@testable import Figures

/// A figure whose script fails in gnuplot (an unknown colour name).
private struct BrokenFigure: Figure {
    func drawing(dataFile: String) throws -> FigureDrawing {
        FigureDrawing(canvasSize: PixelSize(width: 200, height: 100),
                      commands: ["plot \"\(dataFile)\" using 1:2 with lines lc rgb \"no-such-colour\""],
                      data: "1 2\n2 3\n")
    }
}

/// Bad requests throw one clear error and leave no file behind.
@Suite struct BadRequestsFailCleanly {
    private let quiet = { (directory: String) in FigureWriter(directory: directory, announces: false) }

    @Test func imageWhosePixelCountIsNotWidthTimesHeight() throws {
        try withFigureDirectory("bad-pixel-count") { directory in
            let wrong = GrayImage(width: 16, height: 16, pixels: Array(repeating: 0, count: 250))
            let grid = ImageGrid(cells: [.gray(Samples.patch(0)), .gray(wrong)], columns: 2)
            let error = #expect(throws: FigureError.self) { try quiet(directory).write(grid, name: "mosaic") }
            #expect(error == .invalidFigure(figure: "mosaic", problem:
                "image 1 (row 1, column 2) has 250 pixel values but width x height = 16 x 16 = 256"))
            #expect(!FileManager.default.fileExists(atPath: directory))
        }
    }

    @Test(arguments: [
        ("rgb value outside 0...1", AnyFigure(ImageGrid(rows: [[.rgb(RGBImage(width: 1, height: 1, pixels: [0, 1.5, 0]))]])),
         "image 0 (row 1, column 1) has RGB value 1.5 at row 0, column 0; values must be in 0...1"),
        ("log axis with a zero", AnyFigure(LinePlot(series: [.init(name: "err", x: [1, 2], y: [0.5, 0])], logY: true)),
         "series 'err' has y = 0.0 at point 1, but the y axis is logarithmic (values must be positive)"),
        ("x and y of different lengths", AnyFigure(LinePlot(series: [.init(name: "a", x: [1, 2, 3], y: [1, 2])])),
         "series 'a' has 3 x values but 2 y values"),
        ("non-finite value", AnyFigure(LinePlot(series: [.init(name: "a", y: [1, .nan])])),
         "series 'a' has a non-finite y value (nan) at point 1"),
        ("heat map of the wrong size", AnyFigure(HeatMap(rows: 2, columns: 3, values: [1, 2, 3, 4, 5])),
         "the heat map has 5 values but rows x columns = 2 x 3 = 6"),
        ("empty display range", AnyFigure(ImageGrid(rows: [[.gray(GrayImage(width: 1, height: 1, pixels: [3], displayRange: 1...1))]])),
         "image 0 (row 1, column 1) has display range 1.0...1.0; it needs finite bounds with min < max"),
        ("overlay of negative size", AnyFigure(AnnotatedImage(.gray(Samples.digit(0)), overlays: [.rectangle(x: 0, y: 0, width: -1, height: 2)])),
         "overlay 0 is a rectangle with negative size -1.0 x 2.0"),
        ("too many column titles", AnyFigure(ImageGrid(rows: [[.gray(Samples.patch(0))]], columnTitles: ["a", "b"])),
         "2 column titles for 1 columns"),
        ("empty grid", AnyFigure(ImageGrid(rows: [])), "the image grid has no images"),
    ])
    func inconsistentFigure(_ label: String, _ figure: AnyFigure, _ problem: String) throws {
        try withFigureDirectory("bad-figure") { directory in
            let error = #expect(throws: FigureError.self, "\(label)") { try quiet(directory).write(figure, name: "bad") }
            #expect(error == .invalidFigure(figure: "bad", problem: problem))
            #expect(!FileManager.default.fileExists(atPath: directory))
        }
    }

    @Test func directoryThatCannotBeCreated() throws {
        try withFigureDirectory("not-a-directory") { parent in
            try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
            let file = parent + "/plain-file"
            try Data("x".utf8).write(to: URL(fileURLWithPath: file))
            let plot = LinePlot(series: [.init(name: "a", y: [1, 2])])
            let error = #expect(throws: FigureError.self) { try quiet(file + "/figures").write(plot, name: "plot") }
            guard case .cannotWrite(let path, let reason)? = error else {
                Issue.record("expected cannotWrite, got \(String(describing: error))")
                return
            }
            #expect(path == file)
            #expect(reason == "it exists and is not a directory")
            #expect(fileNames(in: parent) == ["plain-file"])
        }
    }

    @Test(arguments: ["", "../escape", ".hidden", "a/b", "with space", "quote\""])
    func invalidName(_ name: String) throws {
        try withFigureDirectory("bad-name") { directory in
            let plot = LinePlot(series: [.init(name: "a", y: [1, 2])])
            let error = #expect(throws: FigureError.self) { try quiet(directory).write(plot, name: name) }
            #expect(error == .invalidName(name))
            #expect(!FileManager.default.fileExists(atPath: directory))
        }
    }

    @Test func gnuplotMissing() throws {
        try withFigureDirectory("no-gnuplot") { directory in
            let writer = FigureWriter(directory: directory, announces: false, gnuplotExecutable: "gnuplot-not-installed-here")
            let error = #expect(throws: FigureError.self) {
                try writer.write(LinePlot(series: [.init(name: "a", y: [1, 2])]), name: "plot")
            }
            #expect(error == .gnuplotNotFound)
            #expect(error?.description == "gnuplot not found: install it with `make deps` (Debian package gnuplot-nox)")
            #expect(!FileManager.default.fileExists(atPath: directory))
        }
    }

    @Test func gnuplotFailureKeepsThePreviousVersion() throws {
        try withFigureDirectory("gnuplot-fails") { directory in
            let previous = try quiet(directory).write(LinePlot(series: [.init(name: "a", y: [1, 2])]), name: "plot")
            let png = try Data(contentsOf: URL(fileURLWithPath: previous.png))
            let error = #expect(throws: FigureError.self) { try quiet(directory).write(BrokenFigure(), name: "plot") }
            guard case .gnuplotFailed(let figure, let status, let output)? = error else {
                Issue.record("expected gnuplotFailed, got \(String(describing: error))")
                return
            }
            #expect(figure == "plot")
            #expect(status != 0)
            #expect(output.contains("plot.gp\" line") && output.contains("unrecognized color name"),
                    "gnuplot's own message is reported: \(output)")
            #expect(fileNames(in: directory) == ["plot.png", "plot.pdf", "plot.gp", "plot.dat"])
            #expect(try Data(contentsOf: URL(fileURLWithPath: previous.png)) == png)
        }
    }
}

/// A type-erased figure, so test arguments can mix kinds.
struct AnyFigure: Figure {
    let figure: any Figure
    init(_ figure: any Figure) { self.figure = figure }
    func drawing(dataFile: String) throws -> FigureDrawing { try figure.drawing(dataFile: dataFile) }
}
