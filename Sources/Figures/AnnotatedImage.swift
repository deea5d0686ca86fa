/// One image with rectangles and line segments drawn over it, e.g. a digit with the grid of
/// patches cut from it.
///
/// Overlay coordinates are in image pixels from the image's top-left corner, x to the right
/// and y down: pixel (row r, column c) covers [c, c+1] x [r, r+1], so the rectangle of the
/// 4x4 patch at row 8, column 12 is `.rectangle(x: 12, y: 8, width: 4, height: 4)`.
public struct AnnotatedImage: Figure {
    /// A shape drawn over the image.
    public struct Overlay: Sendable, Equatable {
        public enum Shape: Sendable, Equatable {
            case rectangle(x: Double, y: Double, width: Double, height: Double)
            case segment(x0: Double, y0: Double, x1: Double, y1: Double)
        }

        public var shape: Shape
        public var color: Color
        /// Line width in pixels of the PNG.
        public var lineWidth: Double

        public init(_ shape: Shape, color: Color = .orange, lineWidth: Double = 2) {
            self.shape = shape
            self.color = color
            self.lineWidth = lineWidth
        }

        /// The outline of the rectangle with top-left corner (x, y).
        public static func rectangle(x: Double, y: Double, width: Double, height: Double,
                                     color: Color = .orange, lineWidth: Double = 2) -> Overlay {
            Overlay(.rectangle(x: x, y: y, width: width, height: height), color: color, lineWidth: lineWidth)
        }

        /// The segment from (x0, y0) to (x1, y1).
        public static func segment(x0: Double, y0: Double, x1: Double, y1: Double,
                                   color: Color = .orange, lineWidth: Double = 2) -> Overlay {
            Overlay(.segment(x0: x0, y0: y0, x1: x1, y1: y1), color: color, lineWidth: lineWidth)
        }
    }

    public var picture: Picture
    public var overlays: [Overlay]
    public var title: String?
    /// Canvas pixels per image pixel; nil makes the longer side about 480 pixels.
    public var scale: Int?

    public init(_ picture: Picture, overlays: [Overlay] = [], title: String? = nil, scale: Int? = nil) {
        self.picture = picture
        self.overlays = overlays
        self.title = title
        self.scale = scale
    }

    /// The longer side's target length in pixels for the automatic scale.
    static let targetSide = 480
    /// Blank pixels around the image (room for overlays on its edges).
    static let border = 16

    /// The PNG size this figure is drawn at.
    public func canvasSize() throws -> PixelSize { try layout().canvas }

    public func drawing(dataFile: String) throws -> FigureDrawing {
        let (canvas, panel, titleHeight) = try layout()
        for (index, overlay) in overlays.enumerated() {
            try overlay.validate("overlay \(index)")
        }
        let geometry = Canvas(size: canvas)
        var commands = geometry.prologue + ImagePanel.setup
        if let title {
            commands.append(geometry.label(title, x: canvas.width / 2, y: Self.border + titleHeight / 2 - 2,
                                           pointSize: TextMetrics.titlePointSize))
        }
        commands.append("# Overlays, in image pixels from the top-left corner (x right, y down).")
        for overlay in overlays {
            commands.append(overlay.command)
        }
        commands += panel.commands(dataFile: dataFile, index: 0, comment: "the image")
        return FigureDrawing(canvasSize: canvas, commands: commands,
                             data: picture.dataBlock(title: "the image") + "\n")
    }

    private func layout() throws -> (canvas: PixelSize, panel: ImagePanel, titleHeight: Int) {
        try picture.validate("the image")
        if let scale, scale < 1 { throw FigureProblem("scale \(scale) must be at least 1") }
        let scale = self.scale ?? max(1, Self.targetSide / max(picture.width, picture.height))
        let titleHeight = title.map {
            TextMetrics.height(lines: lineCount($0), pointSize: TextMetrics.titlePointSize) + 8
        } ?? 0
        let imageWidth = picture.width * scale
        let titleWidth = title.map { TextMetrics.width($0, pointSize: TextMetrics.titlePointSize) } ?? 0
        let width = 2 * Self.border + max(imageWidth, titleWidth)
        let panel = ImagePanel(picture: picture, x: (width - imageWidth) / 2,
                               y: Self.border + titleHeight, scale: scale)
        let canvas = PixelSize(width: width, height: panel.y + panel.pixelHeight + Self.border)
        return (canvas, panel, titleHeight)
    }
}

extension AnnotatedImage.Overlay {
    func validate(_ what: String) throws {
        let values: [Double]
        switch shape {
        case let .rectangle(x, y, width, height):
            values = [x, y, width, height]
            guard width >= 0, height >= 0 else {
                throw FigureProblem("\(what) is a rectangle with negative size \(width) x \(height)")
            }
        case let .segment(x0, y0, x1, y1):
            values = [x0, y0, x1, y1]
        }
        guard values.allSatisfy(\.isFinite) else { throw FigureProblem("\(what) has a non-finite coordinate") }
        guard lineWidth.isFinite, lineWidth > 0 else {
            throw FigureProblem("\(what) has line width \(lineWidth); it must be positive")
        }
    }

    /// A gnuplot object (rectangle) or arrow without head (segment), drawn over the image.
    var command: String {
        let style = "lc \(GnuplotSyntax.color(color)) lw \(GnuplotSyntax.number(lineWidth))"
        let n = GnuplotSyntax.number
        switch shape {
        case let .rectangle(x, y, width, height):
            return "set object rectangle from \(n(x)),\(n(y)) to \(n(x + width)),\(n(y + height)) "
                + "front fillstyle empty border \(style)"
        case let .segment(x0, y0, x1, y1):
            return "set arrow from \(n(x0)),\(n(y0)) to \(n(x1)),\(n(y1)) nohead front \(style)"
        }
    }
}
