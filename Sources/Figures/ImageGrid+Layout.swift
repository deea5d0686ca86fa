/// Where the cells and titles of an image grid go, in canvas pixels.
struct ImageGridLayout {
    struct PlacedPanel {
        let row: Int
        let column: Int
        let panel: ImagePanel
    }

    let canvas: PixelSize
    let scale: Int
    let panels: [PlacedPanel]
    let labels: [String]

    /// Blank pixels around everything (at least the image panels' padding).
    static let border = 14
    /// The cell size the automatic scale aims at, and the grid width it stays under.
    static let targetCellSize = 112
    static let maximumGridWidth = 1600
}

extension ImageGrid {
    /// Validates the grid and lays it out: all images at one scale, each centred in its cell;
    /// columns `max(cell width, title and caption widths)` wide and `spacing` apart; row
    /// titles right-aligned left of the rows, column titles above them, captions under each
    /// image, the overall title on top; the canvas `border` pixels larger on every side.
    func layout() throws -> ImageGridLayout {
        let columnCount = rows.map(\.count).max() ?? 0
        guard columnCount > 0 else { throw FigureProblem("the image grid has no images") }
        guard columnTitles.count <= columnCount else {
            throw FigureProblem("\(columnTitles.count) column titles for \(columnCount) columns")
        }
        guard rowTitles.count <= rows.count else {
            throw FigureProblem("\(rowTitles.count) row titles for \(rows.count) rows")
        }
        guard spacing >= 0 else { throw FigureProblem("spacing \(spacing) is negative") }
        if let scale, scale < 1 { throw FigureProblem("scale \(scale) must be at least 1") }
        var number = 0
        for (r, row) in rows.enumerated() {
            for (c, cell) in row.enumerated() {
                try cell.picture.validate("image \(number) (row \(r + 1), column \(c + 1))")
                number += 1
            }
        }

        let cells = rows.joined()
        let imageWidth = cells.map(\.picture.width).max()!
        let imageHeight = cells.map(\.picture.height).max()!
        let scale = self.scale ?? Self.automaticScale(imageWidth: imageWidth, imageHeight: imageHeight,
                                                      columns: columnCount)
        let border = ImageGridLayout.border
        let captions = cells.compactMap(\.caption)
        let titleHeight = title.map { TextMetrics.height(lines: lineCount($0), pointSize: TextMetrics.titlePointSize) + 10 } ?? 0
        let columnTitleHeight = columnTitles.isEmpty ? 0 : TextMetrics.height(lines: columnTitles.map(lineCount).max()!) + 4
        let captionHeight = captions.isEmpty ? 0 : TextMetrics.height(lines: captions.map(lineCount).max()!) + 2
        let rowTitleWidth = rowTitles.isEmpty ? 0 : rowTitles.map { TextMetrics.width($0) }.max()! + 10
        let cellWidth = imageWidth * scale, cellHeight = imageHeight * scale
        let columnWidth = max(cellWidth, (columnTitles + captions).map { TextMetrics.width($0) + 6 }.max() ?? 0)
        let gridWidth = columnCount * columnWidth + (columnCount - 1) * spacing
        let rowPitch = cellHeight + captionHeight + spacing
        let gridHeight = rows.count * rowPitch - spacing
        let contentWidth = rowTitleWidth + gridWidth
        let titleWidth = title.map { TextMetrics.width($0, pointSize: TextMetrics.titlePointSize) } ?? 0
        let width = 2 * border + max(contentWidth, titleWidth)
        let gridLeft = border + (width - 2 * border - contentWidth) / 2 + rowTitleWidth
        let gridTop = border + titleHeight + columnTitleHeight
        let canvas = PixelSize(width: width, height: gridTop + gridHeight + border)
        let geometry = Canvas(size: canvas)

        var panels: [ImageGridLayout.PlacedPanel] = []
        var labels: [String] = []
        if let title {
            // Centred over the images, unless that would push it off the canvas.
            let centre = min(max(gridLeft + gridWidth / 2, border + titleWidth / 2), width - border - titleWidth / 2)
            labels.append(geometry.label(title, x: centre, y: border + titleHeight / 2 - 2,
                                         pointSize: TextMetrics.titlePointSize))
        }
        let columnLeft = { (column: Int) in gridLeft + column * (columnWidth + spacing) }
        for (column, text) in columnTitles.enumerated() {
            labels.append(geometry.label(text, x: columnLeft(column) + columnWidth / 2,
                                         y: gridTop - columnTitleHeight / 2 - 1))
        }
        for (row, text) in rowTitles.enumerated() {
            labels.append(geometry.label(text, x: gridLeft - 10, y: gridTop + row * rowPitch + cellHeight / 2,
                                         alignment: .right))
        }
        for (row, cells) in rows.enumerated() {
            for (column, cell) in cells.enumerated() {
                let panel = ImagePanel(
                    picture: cell.picture,
                    x: columnLeft(column) + (columnWidth - cell.picture.width * scale) / 2,
                    y: gridTop + row * rowPitch + (cellHeight - cell.picture.height * scale) / 2,
                    scale: scale)
                panels.append(.init(row: row, column: column, panel: panel))
                if let caption = cell.caption {
                    labels.append(geometry.label(caption, x: columnLeft(column) + columnWidth / 2,
                                                 y: gridTop + row * rowPitch + cellHeight + captionHeight / 2 + 1))
                }
            }
        }
        return ImageGridLayout(canvas: canvas, scale: scale, panels: panels, labels: labels)
    }

    /// The smallest scale at which cells reach `targetCellSize` pixels, reduced while the grid
    /// would be wider than `maximumGridWidth` (never below 1).
    static func automaticScale(imageWidth: Int, imageHeight: Int, columns: Int) -> Int {
        let side = max(imageWidth, imageHeight)
        var scale = max(1, (ImageGridLayout.targetCellSize + side - 1) / side)
        while scale > 1 && columns * imageWidth * scale > ImageGridLayout.maximumGridWidth {
            scale -= 1
        }
        return scale
    }
}

/// The number of lines of a title ("\n" separates lines).
func lineCount(_ text: String) -> Int {
    max(1, text.split(separator: "\n", omittingEmptySubsequences: false).count)
}
