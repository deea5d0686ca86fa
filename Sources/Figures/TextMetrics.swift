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

    /// The distance in pixels between the baselines of two lines of one label.
    static func linePitch(pointSize: Int = bodyPointSize) -> Int {
        pointSize * 16 / 10
    }

    /// The height in pixels to reserve for a block of `lines` lines.
    static func height(lines: Int, pointSize: Int = bodyPointSize) -> Int {
        lines * (linePitch(pointSize: pointSize) + 2)
    }
}
