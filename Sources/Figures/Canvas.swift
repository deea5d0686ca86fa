/// Positions on a canvas in pixels from its top-left corner, written in the script as gnuplot
/// screen coordinates through two functions the script defines (`sx`, `sy`), so the same
/// script lays out the PNG and the PDF alike, and a reader can move things in pixels.
struct Canvas {
    let size: PixelSize

    /// Defines the canvas size and the pixel-to-screen functions.
    var prologue: [String] {
        [
            "# Positions are in pixels from the top-left corner of the \(size) canvas.",
            "canvas_width = \(size.width).0; canvas_height = \(size.height).0",
            "sx(x) = x / canvas_width",
            "sy(y) = 1 - y / canvas_height",
        ]
    }

    enum Alignment: String {
        case left, center, right
    }

    /// A text label centred vertically on pixel row `y`.
    func label(_ text: String, x: Int, y: Int, alignment: Alignment = .center,
               pointSize: Int = TextMetrics.bodyPointSize, rotated: Bool = false) -> String {
        "set label \(GnuplotSyntax.quoted(text)) at screen sx(\(x)), sy(\(y)) \(alignment.rawValue)"
            + (rotated ? " rotate by 90" : "") + " font \",\(pointSize)\""
    }
}

/// Rough text sizes for layout (gnuplot cannot measure text before drawing it): pngcairo
/// draws a 12 pt "Sans" character about 9 pixels wide on average, on a 16-pixel em.
enum TextMetrics {
    static let bodyPointSize = 12
    static let titlePointSize = 14

    /// An upper estimate of the width in pixels of one line of `text`.
    static func width(_ text: String, pointSize: Int = bodyPointSize) -> Int {
        let longestLine = text.split(separator: "\n").map(\.count).max() ?? 0
        return (longestLine * pointSize * 4 + 4) / 5 + 4
    }

    /// The height in pixels to reserve for a block of `lines` lines.
    static func height(lines: Int, pointSize: Int = bodyPointSize) -> Int {
        lines * (pointSize * 16 / 10 + 2)
    }
}

/// One image placed on the canvas: its top-left corner at pixel (`x`, `y`) and `scale`
/// canvas pixels per image pixel, so image pixels are square and crisp.
struct ImagePanel {
    let picture: Picture
    let x: Int
    let y: Int
    let scale: Int

    /// The plot area reaches this many pixels beyond the image on each side: gnuplot can lose
    /// the last pixel column of an image that touches the edge of its plot area.
    static let padding = 10

    /// Settings shared by all image panels: no axes, a linear gray palette.
    static let setup = [
        "unset border; unset tics; unset key; unset colorbox",
        "set palette gray gamma 1.0",
    ]

    var pixelWidth: Int { picture.width * scale }
    var pixelHeight: Int { picture.height * scale }

    /// Sets the plot area and ranges so data coordinates are image pixels (x right, y down,
    /// origin at the image's top-left corner), then plots block `index` of `dataFile`.
    func commands(dataFile: String, index: Int, comment: String) -> [String] {
        let padding = Self.padding
        let extra = Double(padding) / Double(scale)
        let width = Double(picture.width), height = Double(picture.height)
        return [
            "# \(comment): \(picture.width)x\(picture.height) image at (\(x), \(y)), "
                + "\(scale) pixel\(scale == 1 ? "" : "s") per image pixel",
            "set lmargin at screen sx(\(x - padding)); set rmargin at screen sx(\(x + pixelWidth + padding))",
            "set tmargin at screen sy(\(y - padding)); set bmargin at screen sy(\(y + pixelHeight + padding))",
            "set xrange [\(GnuplotSyntax.number(-extra)):\(GnuplotSyntax.number(width + extra))]; "
                + "set yrange [\(GnuplotSyntax.number(height + extra)):\(GnuplotSyntax.number(-extra))]",
            picture.plotCommand(dataFile: dataFile, index: index),
        ]
    }
}
