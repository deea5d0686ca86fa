import Foundation

/// The saved gnuplot script of a figure: it draws the figure twice, as `<name>.png` (pngcairo)
/// and `<name>.pdf` (pdfcairo), reading `<name>.dat` from its own directory, so
/// `gnuplot <name>.gp` run in that directory redraws both.
enum FigureScript {
    /// Pixels per inch relating the PNG to the PDF. For a font of nominal size s, pngcairo
    /// draws an em of 4s/3 pixels and pdfcairo one of 2s/3 points; a line of width 1 is 1
    /// pixel and 0.5 point. So a PDF page of (pixels / 144) inches has the PNG's proportions.
    static let pixelsPerInch = 144.0
    static let font = "Sans"

    static func text(name: String, drawing: FigureDrawing) -> String {
        let size = drawing.canvasSize
        let inches = { (pixels: Int) in String(format: "%.3fin", Double(pixels) / pixelsPerInch) }
        let font = GnuplotSyntax.quoted("\(Self.font),\(TextMetrics.bodyPointSize)")
        let header = [
            "# \(name).gp: draws \(name).png and \(name).pdf from the data in \(name).dat.",
            "# Redraw (after restyling) with `gnuplot \(name).gp` in this directory.",
            "",
            "do for [format in \"png pdf\"] {",
            "    if (format eq \"png\") {",
            "        set terminal pngcairo size \(size.width),\(size.height) noenhanced font \(font) background rgb \"white\"",
            "    } else {",
            "        set terminal pdfcairo size \(inches(size.width)),\(inches(size.height)) noenhanced font \(font) background rgb \"white\"",
            "    }",
            "    set output \(GnuplotSyntax.quoted(name + ".")) . format",
            "    reset",
            "",
        ]
        let body = drawing.commands.joined(separator: "\n").split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.isEmpty ? "" : "    " + $0 }
        let footer = ["", "    unset output", "}"]
        return (header + body + footer).joined(separator: "\n") + "\n"
    }
}
