/// Splitting a chapter's `main.swift` into introduction, top-level code and steps.
extension ChapterSource {
    /// Parses the text of a chapter's `main.swift`; `path` names it in errors.
    ///
    /// - The introduction is the run of `///` lines at the top of the file.
    /// - A step starts on a line `<chapter>.step("…")` or `<chapter>.figure("…")` at the
    ///   start of the line (`<chapter>` the variable holding the `Chapter`) and ends at the
    ///   next line that is `}` alone at the start of the line.
    /// - Everything else is top-level code, except `import` lines and `<chapter>.run()`.
    public static func parse(_ text: String, path: String) throws -> ChapterSource {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.hasSuffix("\r") ? $0.dropLast() : $0 }
        var index = 0
        var introduction: [Substring] = []
        while index < lines.count, let prose = docCommentText(lines[index]) {
            introduction.append(prose)
            index += 1
        }
        let variable = chapterVariable(in: lines) ?? "chapter"
        var blocks: [Block] = []
        var topLevel: [Substring] = []
        func flushTopLevel() {
            let code = trimmedBlankLines(topLevel).joined(separator: "\n")
            if !code.isEmpty { blocks.append(.code(code)) }
            topLevel = []
        }
        while index < lines.count {
            let line = lines[index]
            if let (title, isFigure) = try stepOpening(line, variable: variable, path: path, line: index + 1) {
                flushTopLevel()
                guard let close = lines[(index + 1)...].firstIndex(where: { $0.trimmingTrailingSpaces == "}" }) else {
                    throw ReportError.unparsableSource(
                        path: path, line: index + 1,
                        reason: "the step \"\(title.written)\" has no closing `}` alone at the start of a line")
                }
                blocks.append(.step(step(
                    title: title, isFigure: isFigure, body: Array(lines[(index + 1)..<close]), line: index + 1)))
                index = close + 1
                continue
            }
            let trimmed = line.trimmingTrailingSpaces
            if !(trimmed.hasPrefix("import ") || trimmed == "\(variable).run()") {
                topLevel.append(line)
            }
            index += 1
        }
        flushTopLevel()
        return ChapterSource(
            introduction: trimmedBlankLines(introduction).joined(separator: "\n"), blocks: blocks)
    }

    /// The text of a `///` line without the slashes and the one space after them; nil for
    /// any other line.
    static func docCommentText(_ line: Substring) -> Substring? {
        let content = line.drop { $0 == " " || $0 == "\t" }
        guard content.hasPrefix("///") else { return nil }
        let text = content.dropFirst(3)
        return text.hasPrefix(" ") ? text.dropFirst() : text
    }

    /// The name in `let chapter = Chapter(…)`.
    private static func chapterVariable(in lines: [Substring]) -> String? {
        for line in lines {
            for keyword in ["let ", "var "] where line.hasPrefix(keyword) {
                let rest = line.dropFirst(keyword.count)
                let name = rest.prefix { $0.isLetter || $0.isNumber || $0 == "_" }
                if !name.isEmpty, rest.dropFirst(name.count).hasPrefix(" = Chapter(") { return String(name) }
            }
        }
        return nil
    }

    /// The title and kind of a step opening `<variable>.step("…")` / `.figure("…")`; nil
    /// when `line` opens no step.
    private static func stepOpening(
        _ line: Substring, variable: String, path: String, line number: Int
    ) throws -> (StringTemplate, Bool)? {
        for (kind, isFigure) in [("step", false), ("figure", true)] {
            let opening = "\(variable).\(kind)("
            guard line.hasPrefix(opening) else { continue }
            let start = line.index(line.startIndex, offsetBy: opening.count)
            guard let (title, _) = StringTemplate.parse(in: line, at: start) else {
                throw ReportError.unparsableSource(
                    path: path, line: number,
                    reason: "a step's title must be a one-line string literal right after `\(opening)`")
            }
            return (title, isFigure)
        }
        return nil
    }

    /// A step from the lines of its body: `///` runs become prose, the rest code (indented
    /// relative to the body's least indented code line). A blank line belongs to the run it
    /// is in; at the edge of a run it is dropped.
    private static func step(title: StringTemplate, isFigure: Bool, body: [Substring], line: Int) -> Step {
        let indent = body.filter { docCommentText($0) == nil && !isBlank($0) }
            .map { $0.prefix { $0 == " " }.count }.min() ?? 0
        var runs: [(isProse: Bool, lines: [Substring])] = []
        for bodyLine in body {
            let prose = docCommentText(bodyLine)
            if isBlank(bodyLine) {
                if !runs.isEmpty { runs[runs.count - 1].lines.append("") }
            } else if let last = runs.last, last.isProse == (prose != nil) {
                runs[runs.count - 1].lines.append(prose ?? bodyLine.dropFirst(indent))
            } else {
                runs.append((prose != nil, [prose ?? bodyLine.dropFirst(indent)]))
            }
        }
        let segments = runs.map { run in
            let text = trimmedBlankLines(run.lines).joined(separator: "\n")
            return run.isProse ? Segment.prose(text) : Segment.code(text)
        }
        let code = body.filter { docCommentText($0) == nil }
        return Step(title: title, isFigure: isFigure, segments: segments,
                    figureNames: figureNames(in: code), line: line)
    }

    /// The names given to figures: in each call `figures.write(…, name: "…")`, the last
    /// `name:` literal at the call's own level (a series' `name:` sits deeper), when it can
    /// name a file: only letters, digits, `-`, `_` and `.` outside interpolations, and some.
    private static func figureNames(in lines: [Substring]) -> [StringTemplate] {
        let code = Substring(lines.joined(separator: "\n"))
        var names: [StringTemplate] = []
        var rest = code
        while let call = rest.range(of: "figures.write(") {
            var name: StringTemplate?
            var depth = 1
            var index = call.upperBound
            while index < code.endIndex && depth > 0 {
                let character = code[index]
                if character == "\"" {
                    guard let (literal, end) = StringTemplate.parse(in: code, at: index) else { break }
                    if depth == 1 && code[call.upperBound..<index].trimmingTrailingSpaces.hasSuffix("name:") {
                        name = literal
                    }
                    index = end
                    continue
                }
                if character == "(" { depth += 1 }
                if character == ")" { depth -= 1 }
                index = code.index(after: index)
            }
            rest = code[index...]
            guard let name else { continue }
            let text = name.literalText
            let fileLike = !text.isEmpty
                && text.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." }
            if fileLike && !names.contains(name) { names.append(name) }
        }
        return names
    }

    /// `lines` without the blank lines at either end.
    private static func trimmedBlankLines(_ lines: [Substring]) -> [Substring] {
        guard let first = lines.firstIndex(where: { !isBlank($0) }),
              let last = lines.lastIndex(where: { !isBlank($0) }) else { return [] }
        return Array(lines[first...last])
    }

    private static func isBlank(_ line: Substring) -> Bool {
        line.allSatisfy(\.isWhitespace)
    }
}

extension Substring {
    /// The line without the spaces and tabs at its end.
    fileprivate var trimmingTrailingSpaces: Substring {
        var text = self
        while let last = text.last, last == " " || last == "\t" { text = text.dropLast() }
        return text
    }
}
