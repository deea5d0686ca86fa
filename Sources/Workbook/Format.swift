import Foundation

/// How the workbook writes numbers for people.
public enum Format {
    /// `x` to `digits` significant digits, in the shortest of fixed or scientific notation
    /// (C's `%.*g`): `significant(3.14159, digits: 3)` is `"3.14"`, `significant(1.2e-13)`
    /// is `"1.2e-13"`. Non-finite values read `"nan"`, `"inf"`, `"-inf"`.
    public static func significant(_ x: Double, digits: Int = 6) -> String {
        guard x.isFinite else { return x.isNaN ? "nan" : (x > 0 ? "inf" : "-inf") }
        return String(format: "%.*g", max(1, digits), x)
    }

    /// A duration for a person: `"850 µs"`, `"12.3 ms"`, `"3.14 s"`, `"2 min 5 s"`.
    public static func seconds(_ seconds: Double) -> String {
        guard seconds.isFinite else { return significant(seconds) + " s" }
        let magnitude = abs(seconds)
        if magnitude < 1e-3 { return significant(seconds * 1e6, digits: 3) + " µs" }
        if magnitude < 1 { return significant(seconds * 1e3, digits: 3) + " ms" }
        if magnitude < 60 { return significant(seconds, digits: 3) + " s" }
        let whole = Int(seconds.rounded())
        return "\(whole / 60) min \(whole % 60) s"
    }

    /// A byte count with binary prefixes and 3 significant digits: `"512 B"`, `"1.5 KiB"`,
    /// `"42.1 MiB"`, `"1.2 GiB"` (1 KiB = 2¹⁰ B, 1 MiB = 2²⁰ B, 1 GiB = 2³⁰ B).
    public static func bytes(_ count: Int) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var value = Double(count)
        var unit = 0
        while abs(value) >= 1024 && unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        return unit == 0 ? "\(count) B" : significant(value, digits: 3) + " " + units[unit]
    }
}

extension Format {
    /// A Markdown table with aligned columns, for a chapter's narrative:
    /// `Format.table(["m", "PSNR"], [["8", "23.3"]])`.
    public static func table(_ header: [String], _ rows: [[String]]) -> String {
        let widths = header.indices.map { c in ([header] + rows).map { $0[c].count }.max()! }
        func line(_ cells: [String]) -> String {
            "| " + cells.enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }
                .joined(separator: " | ") + " |"
        }
        return ([line(header), line(widths.map { String(repeating: "-", count: $0) })] + rows.map(line))
            .joined(separator: "\n")
    }
}
