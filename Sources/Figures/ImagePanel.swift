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
