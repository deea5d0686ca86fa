import Foundation
import Testing
@testable import Figures

/// Each kind of figure written end to end: the PNG has the expected size, the PDF, script
/// and data are there, nothing temporary is left, and the saved script redraws the figure.
@Suite struct WritingEachKindOfFigure {
    @Test func linePlotOfSeveralRunsOnLogAxes() throws {
        try withFigureDirectory("line-plot") { directory in
            let runs = (1...3).map { run -> LinePlot.Series in
                let rate = Double(2 + run)
                let values: [Double] = (1...25).map { iteration in
                    150 + 800 * exp(-Double(iteration) / rate) + Double(run * 10)
                }
                return LinePlot.Series(name: "run \(run)", y: values)
            }
            let plot = LinePlot(series: runs + [LinePlot.Series(name: "bound", x: [1, 25], y: [100, 100], style: .lines)],
                                title: "EM convergence", xLabel: "iteration", yLabel: "negative log-likelihood",
                                logX: true, logY: true, legend: .outsideRight)
            let writer = FigureWriter(directory: directory, announces: false)
            let written = try writer.write(plot, name: "em-convergence")
            try checkWrittenFigure(written, in: directory, name: "em-convergence", size: PixelSize(width: 900, height: 600))
        }
    }

    @Test func linePlotWithChosenSizeAndScatterSeries() throws {
        try withFigureDirectory("scatter") { directory in
            let plot = LinePlot(series: [
                LinePlot.Series(name: "PSNR", x: [4, 6, 8, 12, 16], y: [24.1, 25.3, 25.9, 25.2, 24.0]),
                LinePlot.Series(name: "counts", x: [4, 6, 8, 12, 16], y: [22, 23, 24, 23.5, 22.5], style: .points),
            ], xLabel: "patch size", yLabel: "PSNR (dB)", legend: .bottomRight, size: PixelSize(width: 640, height: 400))
            let written = try FigureWriter(directory: directory, announces: false).write(plot, name: "psnr")
            try checkWrittenFigure(written, in: directory, name: "psnr", size: PixelSize(width: 640, height: 400))
        }
    }

    @Test func singlePointOnLogAxes() throws {
        try withFigureDirectory("single-point") { directory in
            let plot = LinePlot(series: [.init(name: "only", x: [10], y: [0.5])], logX: true, logY: true,
                                legend: .hidden, size: PixelSize(width: 400, height: 300))
            let written = try FigureWriter(directory: directory, announces: false).write(plot, name: "point")
            try checkWrittenFigure(written, in: directory, name: "point", size: PixelSize(width: 400, height: 300))
        }
    }

    @Test func patchMosaic() throws {
        try withFigureDirectory("mosaic") { directory in
            let grid = ImageGrid(cells: (0..<64).map { .gray(Samples.patch($0)) }, columns: 8,
                                 title: "64 patches of 16x16 pixels")
            let written = try FigureWriter(directory: directory, announces: false).write(grid, name: "mosaic")
            try checkWrittenFigure(written, in: directory, name: "mosaic", size: try grid.canvasSize())
        }
    }

    @Test func digitsWithRowAndColumnTitlesAndCaptions() throws {
        try withFigureDirectory("digits") { directory in
            let rows = (0..<3).map { variant -> [ImageGrid.Cell] in
                let digit = Samples.digit(variant)
                return [.gray(digit), .gray(Samples.corrupted(digit)),
                        .gray(digit, caption: "PSNR \(20 + variant) dB")]
            }
            let grid = ImageGrid(rows: rows, title: "Denoising three digits",
                                 columnTitles: ["original", "corrupted", "denoised"],
                                 rowTitles: ["digit 0", "digit 1", "digit 2"])
            let written = try FigureWriter(directory: directory, announces: false).write(grid, name: "digits")
            try checkWrittenFigure(written, in: directory, name: "digits", size: try grid.canvasSize())
        }
    }

    @Test func gridOfRGBSegmentations() throws {
        try withFigureDirectory("segmentation") { directory in
            let grid = ImageGrid(rows: [[.rgb(Samples.segmentation(0)), .rgb(Samples.segmentation(1))]],
                                 columnTitles: ["K = 3", "K = 3, shifted"], scale: 5)
            let written = try FigureWriter(directory: directory, announces: false).write(grid, name: "segmentation")
            try checkWrittenFigure(written, in: directory, name: "segmentation", size: try grid.canvasSize())
        }
    }

    /// gnuplot 5.4 crashed reading a gray `matrix` block stored after a 160x120 RGB block;
    /// the data format avoids that.
    @Test func photographSizedRGBAndGrayImagesInOneGrid() throws {
        try withFigureDirectory("photographs") { directory in
            let width = 200, height = 150
            let color = RGBImage(width: width, height: height,
                                 pixels: (0..<(width * height * 3)).map { Double($0 % 97) / 96 })
            let gray = GrayImage(width: width, height: height,
                                 pixels: (0..<(width * height)).map { Double($0 % 251) + 0.5 })
            let grid = ImageGrid(rows: [[.rgb(color), .gray(gray)], [.gray(gray), .rgb(color)]],
                                 columnTitles: ["photograph", "segmentation"])
            let written = try FigureWriter(directory: directory, announces: false).write(grid, name: "photographs")
            try checkWrittenFigure(written, in: directory, name: "photographs", size: try grid.canvasSize())
        }
    }

    @Test func digitWithItsPatchGrid() throws {
        try withFigureDirectory("annotated") { directory in
            var overlays = (0..<7).flatMap { row in
                (0..<7).map { column in
                    AnnotatedImage.Overlay.rectangle(x: Double(column * 4), y: Double(row * 4), width: 4, height: 4,
                                                     lineWidth: 1)
                }
            }
            overlays.append(.rectangle(x: 12, y: 8, width: 4, height: 4, color: .cyan, lineWidth: 3))
            overlays.append(.segment(x0: 0, y0: 28, x1: 28, y1: 0, color: .yellow))
            let figure = AnnotatedImage(.gray(Samples.digit(1)), overlays: overlays,
                                        title: "A digit cut into 4x4 patches")
            let written = try FigureWriter(directory: directory, announces: false).write(figure, name: "patch-grid")
            try checkWrittenFigure(written, in: directory, name: "patch-grid", size: try figure.canvasSize())
        }
    }

    @Test func covarianceHeatMap() throws {
        try withFigureDirectory("heat-map") { directory in
            let n = 16
            let values = (0..<(n * n)).map { index -> Double in
                let i = index / n, j = index % n
                return exp(-Double(abs(i - j)) / 3) * cos(Double(i - j) * 0.6)
            }
            let map = HeatMap(rows: n, columns: n, values: values, title: "Covariance of 4x4 patches",
                              xLabel: "pixel", yLabel: "pixel", valueLabel: "covariance", palette: .diverging)
            let written = try FigureWriter(directory: directory, announces: false).write(map, name: "covariance")
            try checkWrittenFigure(written, in: directory, name: "covariance", size: PixelSize(width: 800, height: 680))
        }
    }

    @Test func constantMatrixGetsAUsableColourRange() throws {
        try withFigureDirectory("constant-heat-map") { directory in
            let map = HeatMap(rows: 3, columns: 3, values: Array(repeating: 5, count: 9), palette: .gray,
                              size: PixelSize(width: 300, height: 260))
            #expect(try map.drawing(dataFile: "c.dat").commands.contains("set cbrange [4.0:6.0]"))
            let written = try FigureWriter(directory: directory, announces: false).write(map, name: "constant")
            try checkWrittenFigure(written, in: directory, name: "constant", size: PixelSize(width: 300, height: 260))
        }
    }

    @Test func rewritingAFigureReplacesItsFiles() throws {
        try withFigureDirectory("rewrite") { directory in
            let writer = FigureWriter(directory: directory, announces: false)
            let small = LinePlot(series: [.init(name: "a", y: [1, 2, 3])], size: PixelSize(width: 300, height: 200))
            try writer.write(small, name: "plot")
            var large = small
            large.size = PixelSize(width: 500, height: 300)
            let written = try writer.write(large, name: "plot")
            try checkWrittenFigure(written, in: directory, name: "plot", size: PixelSize(width: 500, height: 300))
        }
    }
}
