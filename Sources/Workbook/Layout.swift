/// The layout of a chapter's printed output: headings, and results and checks whose values
/// line up in one column.
enum Layout {
    /// Width of the label column; longer labels push their value to the right.
    static let labelWidth = 40

    /// `"── Step 2 · The posterior of one patch ──"`.
    static func stepHeading(number: Int, title: String) -> String {
        "── Step \(number) · \(title) ──"
    }

    /// `"━━ 01-patches · Patches of MNIST digits ━━"`.
    static func chapterHeading(slug: String, title: String) -> String {
        "━━ \(slug) · \(title) ━━"
    }

    /// `"  training images                          1000"`.
    static func result(_ label: String, _ value: String) -> String {
        "  " + padded(label, to: labelWidth) + " " + value
    }

    /// `"  ✓ reassembly is exact                    3.1e-16  (≤ 1e-12)"`, with `FAILED` at the
    /// end of a failed check.
    static func check(_ check: CheckRecord) -> String {
        let mark = check.passed ? "✓" : "✗"
        let line = "  \(mark) " + padded(check.label, to: labelWidth - 2)
            + " \(check.actual)  (\(check.requirement))"
        return check.passed ? line : line + "  FAILED"
    }

    /// Narrative text, every line indented under the heading.
    static func narrative(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.isEmpty ? "" : "  " + $0 }
            .joined(separator: "\n")
    }

    /// `text` followed by spaces up to `width` characters (unchanged when it is longer).
    static func padded(_ text: String, to width: Int) -> String {
        text + String(repeating: " ", count: max(0, width - text.count))
    }
}
