/// One image with rectangles, line segments and text drawn over it, e.g. a digit with the grid
/// of patches cut from it; optionally a colour key (for a gray image) right of it.
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
            /// A line of text centred on (x, y); it may lie in the border around the image.
            case text(String, x: Double, y: Double)
        }

        public var shape: Shape
        public var color: Color
        /// Line width in pixels of the PNG (not used by text).
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

        /// `text` centred on (x, y), in the body font.
        public static func text(_ text: String, x: Double, y: Double, color: Color = .black) -> Overlay {
            Overlay(.text(text, x: x, y: y), color: color)
        }
    }

    public var picture: Picture
    public var overlays: [Overlay]
    public var title: String?
    /// Canvas pixels per image pixel; nil makes the longer side about 480 pixels.
    public var scale: Int?
    /// Blank pixels around the image (room for overlays and text on its edges).
    public var border: Int
    /// A colour bar right of the image, the height of the image (gray images only).
    public var colorKey: ColorKey?

    public init(_ picture: Picture, overlays: [Overlay] = [], title: String? = nil, scale: Int? = nil,
                border: Int = 16, colorKey: ColorKey? = nil) {
        self.picture = picture
        self.overlays = overlays
        self.title = title
        self.scale = scale
        self.border = border
        self.colorKey = colorKey
    }

    /// The longer side's target length in pixels for the automatic scale.
    static let targetSide = 480

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
            commands.append(geometry.label(title, x: canvas.width / 2, y: border + titleHeight / 2 - 2,
                                           pointSize: TextMetrics.titlePointSize))
        }
        if let colorKey {
            commands += colorKey.commands(beside: panel)
        }
        commands.append("# Overlays, in image pixels from the top-left corner (x right, y down).")
        for overlay in overlays {
            commands.append(overlay.command)
        }
        commands += panel.commands(dataFile: dataFile, index: 0, comment: "the image")
        return FigureDrawing(canvasSize: canvas, commands: commands,
                             data: picture.dataBlock(title: "the image") + "\n")
    }

    /// The image (and its colour key) centred under the title, `border` pixels from the edges.
    private func layout() throws -> (canvas: PixelSize, panel: ImagePanel, titleHeight: Int) {
        try picture.validate("the image")
        if let scale, scale < 1 { throw FigureProblem("scale \(scale) must be at least 1") }
        guard border >= ImagePanel.padding else {
            throw FigureProblem("border \(border) is below the image panel's padding \(ImagePanel.padding)")
        }
        if let colorKey {
            guard case .gray(let image) = picture else {
                throw FigureProblem("a colour key needs a gray image (an RGB image has no palette)")
            }
            try colorKey.validate(displayRange: image.displayRange)
        }
        let scale = self.scale ?? max(1, Self.targetSide / max(picture.width, picture.height))
        let titleHeight = title.map {
            TextMetrics.height(lines: lineCount($0), pointSize: TextMetrics.titlePointSize) + 8
        } ?? 0
        let imageWidth = picture.width * scale
        let contentWidth = imageWidth + (colorKey?.width ?? 0)
        let titleWidth = title.map { TextMetrics.width($0, pointSize: TextMetrics.titlePointSize) } ?? 0
        let width = 2 * border + max(contentWidth, titleWidth)
        let panel = ImagePanel(picture: picture, x: (width - contentWidth) / 2,
                               y: border + titleHeight, scale: scale)
        let canvas = PixelSize(width: width, height: panel.y + panel.pixelHeight + border)
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
        case let .text(_, x, y):
            values = [x, y]
        }
        guard values.allSatisfy(\.isFinite) else { throw FigureProblem("\(what) has a non-finite coordinate") }
        guard lineWidth.isFinite, lineWidth > 0 else {
            throw FigureProblem("\(what) has line width \(lineWidth); it must be positive")
        }
    }

    /// A gnuplot object (rectangle), arrow without head (segment) or label (text), drawn over
    /// the image.
    var command: String {
        let style = "lc \(GnuplotSyntax.color(color)) lw \(GnuplotSyntax.number(lineWidth))"
        let n = GnuplotSyntax.number
        switch shape {
        case let .rectangle(x, y, width, height):
            return "set object rectangle from \(n(x)),\(n(y)) to \(n(x + width)),\(n(y + height)) "
                + "front fillstyle empty border \(style)"
        case let .segment(x0, y0, x1, y1):
            return "set arrow from \(n(x0)),\(n(y0)) to \(n(x1)),\(n(y1)) nohead front \(style)"
        case let .text(text, x, y):
            return "set label \(GnuplotSyntax.quoted(text)) at \(n(x)),\(n(y)) center front "
                + "textcolor \(GnuplotSyntax.color(color))"
        }
    }
}
