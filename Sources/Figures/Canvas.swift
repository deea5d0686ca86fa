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
        case center, right
    }

    /// A text label (of one or more lines) centred vertically on pixel row `y`. gnuplot puts
    /// the first line of a label at its anchor and the others below it, so the anchor of an
    /// n-line label sits (n − 1)/2 line pitches above `y`.
    func label(_ text: String, x: Int, y: Int, alignment: Alignment = .center,
               pointSize: Int = TextMetrics.bodyPointSize) -> String {
        let anchor = y - (lineCount(text) - 1) * TextMetrics.linePitch(pointSize: pointSize) / 2
        return "set label \(GnuplotSyntax.quoted(text)) at screen sx(\(x)), sy(\(anchor)) \(alignment.rawValue)"
            + " font \",\(pointSize)\""
    }
}
