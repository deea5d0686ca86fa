extension AnnotatedImage {
    /// A vertical colour bar right of a gray image, as tall as the image: black at the lower
    /// end of the image's display range, white at the upper, with labelled ticks.
    public struct ColorKey: Sendable, Equatable {
        /// A tick at `value` (in the display range) labelled `text`, e.g. (−1.5, "≤ −1.5").
        public struct Tick: Sendable, Equatable {
            public var value: Double
            public var text: String

            public init(_ value: Double, _ text: String) {
                self.value = value
                self.text = text
            }
        }

        public var ticks: [Tick]
        /// Written along the bar, right of the tick labels.
        public var label: String?

        public init(ticks: [Tick], label: String? = nil) {
            self.ticks = ticks
            self.label = label
        }

        /// Pixels between the image and the bar, and the bar's width.
        static let gap = 28
        static let barWidth = 20

        /// The width the key takes right of the image: gap, bar, tick labels, rotated label.
        var width: Int {
            let tickWidth = ticks.map { TextMetrics.width($0.text) }.max() ?? 0
            let labelWidth = label == nil ? 0 : TextMetrics.height(lines: 1) + 16
            return Self.gap + Self.barWidth + 12 + tickWidth + labelWidth
        }

        /// Throws a `FigureProblem` for no ticks or a tick outside the display range.
        func validate(displayRange: ClosedRange<Double>) throws {
            guard !ticks.isEmpty else { throw FigureProblem("the colour key has no ticks") }
            for tick in ticks where !(tick.value.isFinite && displayRange.contains(tick.value)) {
                throw FigureProblem("colour key tick '\(tick.text)' at \(tick.value) is outside the "
                    + "display range \(displayRange)")
            }
        }

        /// Places gnuplot's colour box beside `panel` (its palette and range are the image's).
        func commands(beside panel: ImagePanel) -> [String] {
            let left = panel.x + panel.pixelWidth + Self.gap, bottom = panel.y + panel.pixelHeight
            let ticks = ticks.map { "\(GnuplotSyntax.quoted($0.text)) \(GnuplotSyntax.number($0.value))" }
            var commands = [
                "# The colour key, right of the image.",
                "set colorbox user origin screen sx(\(left)), sy(\(bottom)) "
                    + "size screen \(Self.barWidth) / canvas_width, \(panel.pixelHeight) / canvas_height",
                "set cbtics (\(ticks.joined(separator: ", "))) out nomirror scale 0.75",
            ]
            if let label { commands.append("set cblabel \(GnuplotSyntax.quoted(label))") }
            return commands
        }
    }
}
