/// A grid of images with optional titles: patch mosaics, rows of original / corrupted /
/// restored digits, component means, segmentations.
///
/// Every image is drawn at the same integer scale (canvas pixels per image pixel), centred in
/// its cell, without axes, inside a thin gray frame (so a tile as light as the page keeps its
/// edge); the canvas is sized to fit the grid and its titles.
public struct ImageGrid: Figure {
    /// One cell: an image and an optional caption drawn under it.
    public struct Cell: Sendable, Equatable {
        public var picture: Picture
        public var caption: String?

        public init(_ picture: Picture, caption: String? = nil) {
            self.picture = picture
            self.caption = caption
        }

        public static func gray(_ image: GrayImage, caption: String? = nil) -> Cell {
            Cell(.gray(image), caption: caption)
        }

        public static func rgb(_ image: RGBImage, caption: String? = nil) -> Cell {
            Cell(.rgb(image), caption: caption)
        }
    }

    /// The cells, row by row, top to bottom; a row shorter than the longest leaves its last
    /// cells blank.
    public var rows: [[Cell]]
    public var title: String?
    /// Titles above the columns (at most one per column).
    public var columnTitles: [String]
    /// Titles left of the rows (at most one per row).
    public var rowTitles: [String]
    /// Canvas pixels per image pixel; nil chooses one (cells about 112 pixels wide, the grid
    /// at most about 1600 pixels wide).
    public var scale: Int?
    /// Pixels between cells.
    public var spacing: Int

    public init(rows: [[Cell]], title: String? = nil, columnTitles: [String] = [],
                rowTitles: [String] = [], scale: Int? = nil, spacing: Int = 4) {
        self.rows = rows
        self.title = title
        self.columnTitles = columnTitles
        self.rowTitles = rowTitles
        self.scale = scale
        self.spacing = spacing
    }

    /// A grid filled row by row with `columns` cells per row (the last row may be shorter).
    public init(cells: [Cell], columns: Int, title: String? = nil, columnTitles: [String] = [],
                rowTitles: [String] = [], scale: Int? = nil, spacing: Int = 4) {
        let width = max(columns, 1)
        let rows = stride(from: 0, to: cells.count, by: width).map {
            Array(cells[$0..<min($0 + width, cells.count)])
        }
        self.init(rows: rows, title: title, columnTitles: columnTitles, rowTitles: rowTitles,
                  scale: scale, spacing: spacing)
    }

    /// The PNG size this grid is drawn at.
    public func canvasSize() throws -> PixelSize { try layout().canvas }

    public func drawing(dataFile: String) throws -> FigureDrawing {
        let layout = try layout()
        let canvas = Canvas(size: layout.canvas)
        var commands = canvas.prologue + ImagePanel.setup + ["set multiplot"]
        commands += layout.labels
        var data: [String] = []
        for (index, placed) in layout.panels.enumerated() {
            let place = "row \(placed.row + 1), column \(placed.column + 1)"
            commands += placed.panel.commands(dataFile: dataFile, index: index, comment: place, framed: true)
            if index == 0 && !layout.labels.isEmpty {
                commands.append("unset label  # the titles are drawn once, with the first image")
            }
            data.append(placed.panel.picture.dataBlock(title: "image \(index) (\(place))"))
        }
        commands.append("unset multiplot")
        return FigureDrawing(canvasSize: layout.canvas, commands: commands,
                             data: data.joined(separator: "\n\n\n") + "\n")
    }
}
