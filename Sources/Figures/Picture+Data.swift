import Foundation

/// Checking a picture and writing it as a gnuplot data block.
extension Picture {
    /// Throws a `FigureProblem` naming `what` ("image 3 (row 1, column 4)") when the pixel
    /// count is not width x height (x 3 for RGB), a value is not finite (NaN is allowed in a
    /// gray image with `nanIsBlank`), an RGB value is outside 0...1, or the display range is
    /// empty.
    func validate(_ what: String) throws {
        guard width > 0, height > 0 else {
            throw FigureProblem("\(what) is \(width)x\(height); both sides must be at least 1")
        }
        switch self {
        case .gray(let image):
            let expected = width * height
            guard image.pixels.count == expected else {
                throw FigureProblem("\(what) has \(image.pixels.count) pixel values but width x height"
                    + " = \(width) x \(height) = \(expected)")
            }
            if let index = image.pixels.firstIndex(where: { !($0.isFinite || (image.nanIsBlank && $0.isNaN)) }) {
                throw FigureProblem("\(what) has a non-finite value (\(image.pixels[index])) at "
                    + "row \(index / width), column \(index % width)")
            }
            let range = image.displayRange
            guard range.lowerBound.isFinite, range.upperBound.isFinite,
                  range.lowerBound < range.upperBound else {
                throw FigureProblem("\(what) has display range \(range); it needs finite bounds"
                    + " with min < max")
            }
        case .rgb(let image):
            let expected = width * height * 3
            guard image.pixels.count == expected else {
                throw FigureProblem("\(what) has \(image.pixels.count) RGB values but width x height"
                    + " x 3 = \(width) x \(height) x 3 = \(expected)")
            }
            if let index = image.pixels.firstIndex(where: { !($0 >= 0 && $0 <= 1) }) {
                let pixel = index / 3
                throw FigureProblem("\(what) has RGB value \(image.pixels[index]) at row "
                    + "\(pixel / width), column \(pixel % width); values must be in 0...1")
            }
        }
    }

    /// The picture as one data block (no trailing blank lines) of lines "column row value"
    /// (gray) or "column row red green blue" (RGB, channels as 8-bit integers 0...255, what
    /// the PNG holds), a blank line after each image row. (gnuplot 5.4 can crash reading a
    /// `matrix` block that follows such RGB blocks in the same file, so no block is a matrix.)
    func dataBlock(title: String) -> String {
        var lines = ["# \(title)"]
        lines.reserveCapacity(width * height + height + 1)
        for row in 0..<height {
            for column in 0..<width {
                let index = row * width + column
                switch self {
                case .gray(let image):
                    lines.append("\(column) \(row) " + DataText.number(image.pixels[index]))
                case .rgb(let image):
                    let rgb = image.pixels[(3 * index)..<(3 * index + 3)].map { String(Int(($0 * 255).rounded())) }
                    lines.append("\(column) \(row) " + rgb.joined(separator: " "))
                }
            }
            lines.append("")
        }
        lines.removeLast()
        return lines.joined(separator: "\n")
    }

    /// The plot command drawing block `index` of `dataFile` with pixel (row r, column c)
    /// covering [c, c+1] x [r, r+1] (x right, y down). `with image` draws an unsmoothed
    /// bitmap (the PDF marks it not to be interpolated), so small images stay crisp.
    func plotCommand(dataFile: String, index: Int) -> String {
        let source = "plot \(GnuplotSyntax.quoted(dataFile)) index \(index)"
        switch self {
        case .gray(let image):
            let range = image.displayRange
            return "set cbrange [\(GnuplotSyntax.number(range.lowerBound)):"
                + "\(GnuplotSyntax.number(range.upperBound))]; "
                + "\(source) using ($1+0.5):($2+0.5):3 with image"
        case .rgb:
            return "\(source) using ($1+0.5):($2+0.5):3:4:5 with rgbimage"
        }
    }
}

/// Numbers in data files.
enum DataText {
    /// A compact spelling for pixel values: integers without a decimal point, others with
    /// 8 significant digits (images are for display, not for re-analysis); NaN as "nan",
    /// which gnuplot reads as a missing value and leaves undrawn.
    static func number(_ value: Double) -> String {
        if value.isNaN { return "nan" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(format: "%.8g", value)
    }
}
