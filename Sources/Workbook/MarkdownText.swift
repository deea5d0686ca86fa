/// Turning what a chapter printed (plain text) into Markdown that GitHub and pandoc read
/// the same way.
enum MarkdownText {
    /// `text` with every character Markdown (or its math and table extensions) could take
    /// for syntax backslash-escaped, so it shows as printed: `π_k` stays `π_k`, `$` is no
    /// math, `|` splits no table cell.
    static func escaped(_ text: String) -> String {
        var result = ""
        for character in text {
            if "\\`*_[]<>$|~&#".contains(character) { result.append("\\") }
            result.append(character)
        }
        return result
    }

    /// One line of a paragraph, escaped (``escaped(_:)``) and kept from starting a list, a
    /// heading underline or a block quote.
    static func escapedLine(_ line: String) -> String {
        let text = escaped(line)
        if let first = text.first, "-+=".contains(first) { return "\\" + text }
        let digits = text.prefix { $0.isASCII && $0.isNumber }
        if !digits.isEmpty, let after = text.dropFirst(digits.count).first, after == "." || after == ")" {
            return digits + "\\" + text.dropFirst(digits.count)
        }
        return text
    }

    /// A fenced code block holding `code`, its fence longer than any run of backticks in it.
    static func codeBlock(_ code: String, language: String) -> String {
        var longest = 0
        var run = 0
        for character in code {
            run = character == "`" ? run + 1 : 0
            longest = max(longest, run)
        }
        let fence = String(repeating: "`", count: max(3, longest + 1))
        return "\(fence)\(language)\n\(code)\n\(fence)"
    }

    /// A pipe table with a header row; cells are escaped.
    static func table(header: [String], rows: [[String]]) -> String {
        let line = { (cells: [String]) in "| " + cells.map(escaped).joined(separator: " | ") + " |" }
        let rule = "|" + header.map { _ in "---|" }.joined()
        return ([line(header), rule] + rows.map(line)).joined(separator: "\n")
    }

    /// Narrative text a step printed (`ctx.narrate`): its lines as a paragraph (one line
    /// per printed line), and any printed pipe table (a header row, a `| -- |` rule, rows
    /// with as many cells) as a Markdown table; a table whose rows do not line up with
    /// its header is shown as preformatted text instead.
    static func narration(_ text: String) -> String {
        var blocks: [String] = []
        var paragraph: [String] = []
        var table: [String] = []
        func flushParagraph() {
            if !paragraph.isEmpty { blocks.append(paragraph.map(escapedLine).joined(separator: "\\\n")) }
            paragraph = []
        }
        func flushTable() {
            if !table.isEmpty { blocks.append(printedTable(table)) }
            table = []
        }
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if line.hasPrefix("|") {
                flushParagraph()
                table.append(line)
            } else if line.allSatisfy(\.isWhitespace) {
                flushParagraph()
                flushTable()
            } else {
                flushTable()
                paragraph.append(line.trimmingLeadingSpaces)
            }
        }
        flushParagraph()
        flushTable()
        return blocks.joined(separator: "\n\n")
    }

    /// A printed pipe table as Markdown, or as preformatted text when its cells do not
    /// line up. A row is cut at its `|`s, or, when a cell itself holds a `|`
    /// (`log|Σ|`), at the columns where the rule line has its `|`s (the printed table pads
    /// every cell to its column's width).
    private static func printedTable(_ lines: [String]) -> String {
        let isRule = { (row: [String]) in
            !row.isEmpty && row.allSatisfy { cell in !cell.isEmpty && cell.allSatisfy { "-: ".contains($0) } }
        }
        guard lines.count >= 2, isRule(cells(lines[1])) else {
            return codeBlock(lines.joined(separator: "\n"), language: "text")
        }
        let bySeparator = lines.map(cells)
        if bySeparator.allSatisfy({ $0.count == bySeparator[1].count }) {
            return table(header: bySeparator[0], rows: Array(bySeparator[2...]))
        }
        let columns = lines[1].enumerated().filter { $0.element == "|" }.map(\.offset)
        let byColumn = lines.map { cells($0, cutAt: columns) }
        guard let first = byColumn.first, let header = first,
              case let rows = byColumn.dropFirst(2).compactMap({ $0 }), rows.count == lines.count - 2 else {
            return codeBlock(lines.joined(separator: "\n"), language: "text")
        }
        return table(header: header, rows: rows)
    }

    /// The cells of `line` cut at the character offsets `columns`, where `line` must have a
    /// `|` (all but possibly the last); nil when it does not.
    private static func cells(_ line: String, cutAt columns: [Int]) -> [String]? {
        let characters = Array(line)
        guard columns.count >= 2,
              columns.dropLast().allSatisfy({ $0 < characters.count && characters[$0] == "|" }) else { return nil }
        return zip(columns, columns.dropFirst()).map { start, end in
            String(characters[(start + 1)..<min(end, characters.count)]).trimmingLeadingSpaces.trimmingTrailingSpaces
        }
    }

    /// The cells of a printed table row `| a | b |`, trimmed.
    private static func cells(_ line: String) -> [String] {
        var parts = line.split(separator: "|", omittingEmptySubsequences: false).map {
            String($0).trimmingLeadingSpaces.trimmingTrailingSpaces
        }
        if parts.first == "" { parts.removeFirst() }
        if parts.last == "" { parts.removeLast() }
        return parts
    }
}

extension String {
    fileprivate var trimmingLeadingSpaces: String {
        String(drop { $0 == " " || $0 == "\t" })
    }

    fileprivate var trimmingTrailingSpaces: String {
        var text = Substring(self)
        while let last = text.last, last == " " || last == "\t" { text = text.dropLast() }
        return String(text)
    }
}
