import Testing
@testable import Figures

/// The grid layout: sizes follow from the images, scale, spacing and titles; images sit
/// inside the canvas without overlapping.
@Suite struct ImageGridLayoutRules {
    private func cells(_ count: Int, width: Int, height: Int) -> [ImageGrid.Cell] {
        (0..<count).map { _ in .gray(GrayImage(width: width, height: height, pixels: Array(repeating: 0, count: width * height))) }
    }

    @Test(arguments: [(8, 8, 16, 16, 3, 4), (3, 5, 28, 28, 2, 0), (1, 1, 7, 9, 11, 6), (6, 2, 40, 30, 1, 10)])
    func untitledGridIsItsCellsPlusSpacingAndBorder(rows: Int, columns: Int, width: Int, height: Int, scale: Int, spacing: Int) throws {
        let grid = ImageGrid(cells: cells(rows * columns, width: width, height: height), columns: columns,
                             scale: scale, spacing: spacing)
        let border = ImageGridLayout.border
        #expect(try grid.canvasSize() == PixelSize(
            width: 2 * border + columns * width * scale + (columns - 1) * spacing,
            height: 2 * border + rows * height * scale + (rows - 1) * spacing))
    }

    @Test(arguments: [(64, 8, 16), (12, 3, 28), (4, 4, 200), (30, 10, 8), (2, 2, 1)])
    func panelsLieInsideTheCanvasAndDoNotOverlap(count: Int, columns: Int, side: Int) throws {
        let grid = ImageGrid(cells: cells(count, width: side, height: side), columns: columns,
                             title: "a title", columnTitles: ["first column"], rowTitles: ["row one"])
        let layout = try grid.layout()
        let panels = layout.panels.map(\.panel)
        #expect(panels.count == count)
        for panel in panels {
            #expect(panel.scale == layout.scale)
            #expect(panel.x >= ImagePanel.padding && panel.y >= ImagePanel.padding)
            #expect(panel.x + panel.pixelWidth + ImagePanel.padding <= layout.canvas.width)
            #expect(panel.y + panel.pixelHeight + ImagePanel.padding <= layout.canvas.height)
        }
        for (i, a) in panels.enumerated() {
            for b in panels[(i + 1)...] {
                let apart = a.x + a.pixelWidth <= b.x || b.x + b.pixelWidth <= a.x
                    || a.y + a.pixelHeight <= b.y || b.y + b.pixelHeight <= a.y
                #expect(apart)
            }
        }
    }

    @Test(arguments: [(16, 8), (28, 3), (8, 8), (200, 4), (1000, 3), (7, 40)])
    func automaticScaleIsTheSmallestReachingTheTargetCellUnlessTheGridGetsTooWide(side: Int, columns: Int) {
        let scale = ImageGrid.automaticScale(imageWidth: side, imageHeight: side, columns: columns)
        let target = ImageGridLayout.targetCellSize, widest = ImageGridLayout.maximumGridWidth
        #expect(scale >= 1)
        #expect(scale == 1 || columns * side * scale <= widest, "fits the width unless at scale 1")
        #expect(scale == 1 || side * (scale - 1) < target, "no larger than needed")
        #expect(side * scale >= target || columns * side * (scale + 1) > widest, "reaches the target unless too wide")
    }

    @Test func titlesAddRoomAndALongTitleWidensTheCanvas() throws {
        let plain = ImageGrid(cells: cells(2, width: 10, height: 10), columns: 2, scale: 2)
        var titled = plain
        titled.title = "t"
        titled.columnTitles = ["a", "b"]
        titled.rowTitles = ["row"]
        let plainSize = try plain.canvasSize(), titledSize = try titled.canvasSize()
        #expect(titledSize.width > plainSize.width && titledSize.height > plainSize.height)
        var long = plain
        long.title = String(repeating: "a long title ", count: 10)
        #expect(try long.canvasSize().width >= TextMetrics.width(long.title!, pointSize: TextMetrics.titlePointSize))
    }

    @Test func announcementNamesThePNGWhereTheUserPutIt() {
        #expect(FigureWriter(directory: "figures/01-patches").announcement(for: "mosaic.png")
            == "figure: figures/01-patches/mosaic.png")
        #expect(FigureWriter(directory: "figures/01-patches/").announcement(for: "mosaic.png")
            == "figure: figures/01-patches/mosaic.png")
    }
}
