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

    /// The colour of the frame around a framed image.
    static let frameColor = Color(red: 0xa0, green: 0xa0, blue: 0xa0)

    /// Sets the plot area and ranges so data coordinates are image pixels (x right, y down,
    /// origin at the image's top-left corner), then plots block `index` of `dataFile`.
    /// `framed` draws a 1-pixel gray line around the image, in the canvas pixels just outside
    /// it (half a canvas pixel, 0.5 / scale image pixels, beyond each edge), so an image as
    /// light as the page keeps its outline.
    func commands(dataFile: String, index: Int, comment: String, framed: Bool = false) -> [String] {
        let padding = Self.padding
        let extra = Double(padding) / Double(scale)
        let width = Double(picture.width), height = Double(picture.height)
        let n = GnuplotSyntax.number
        let out = 0.5 / Double(scale)
        let frame = framed
            ? ["set object 1 rectangle from \(n(-out)),\(n(-out)) to \(n(width + out)),\(n(height + out)) "
                + "front fillstyle empty border lc \(GnuplotSyntax.color(Self.frameColor)) lw 1  # the frame"]
            : []
        return [
            "# \(comment): \(picture.width)x\(picture.height) image at (\(x), \(y)), "
                + "\(scale) pixel\(scale == 1 ? "" : "s") per image pixel",
            "set lmargin at screen sx(\(x - padding)); set rmargin at screen sx(\(x + pixelWidth + padding))",
            "set tmargin at screen sy(\(y - padding)); set bmargin at screen sy(\(y + pixelHeight + padding))",
            "set xrange [\(GnuplotSyntax.number(-extra)):\(GnuplotSyntax.number(width + extra))]; "
                + "set yrange [\(GnuplotSyntax.number(height + extra)):\(GnuplotSyntax.number(-extra))]",
        ] + frame + [
            picture.plotCommand(dataFile: dataFile, index: index),
        ]
    }
}
