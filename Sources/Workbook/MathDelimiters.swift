/// Checking that the math of a Markdown document is closed: every `$…$` and `$$…$$` ends in
/// the paragraph it starts in, and every `\begin{env}` has its `\end{env}`.
///
/// Code (fenced blocks and `` `spans` ``) is skipped, and `\$` is a dollar sign, not math:
/// the rules pandoc and GitHub apply.
public enum MathDelimiters {
    /// The problems found in `markdown`, each naming the paragraph (by its first words);
    /// empty when all math is balanced.
    public static func problems(in markdown: String) -> [String] {
        var problems: [String] = []
        var paragraph: [Substring] = []
        var fence: Substring?
        func check() {
            if !paragraph.isEmpty { problems += self.problems(inParagraph: paragraph.joined(separator: "\n")) }
            paragraph = []
        }
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.drop { $0 == " " }
            if let open = fence {
                if trimmed.hasPrefix(open) && trimmed.allSatisfy({ $0 == open.first }) { fence = nil }
                continue
            }
            if trimmed.hasPrefix("```") || trimmed.hasPrefix("~~~") {
                check()
                fence = trimmed.prefix { $0 == trimmed.first }
                continue
            }
            if trimmed.isEmpty { check() } else { paragraph.append(line) }
        }
        check()
        return problems
    }

    private static func problems(inParagraph text: String) -> [String] {
        let characters = Array(text)
        var problems: [String] = []
        var inline = false
        var display = false
        var environments: [String] = []
        let place = "in the paragraph \"\(String(text.prefix(60)))…\""
        var index = 0
        while index < characters.count {
            let character = characters[index]
            if character == "\\" {
                if let (name, isBegin, end) = environment(characters, at: index) {
                    if isBegin {
                        environments.append(name)
                    } else if environments.last == name {
                        environments.removeLast()
                    } else {
                        problems.append("\\end{\(name)} without \\begin{\(name)} \(place)")
                    }
                    index = end
                } else {
                    index += 2
                }
                continue
            }
            if character == "`" && !inline && !display {
                index = endOfCodeSpan(characters, at: index)
                continue
            }
            if character == "$" {
                if index + 1 < characters.count && characters[index + 1] == "$" && !inline {
                    display.toggle()
                    index += 2
                } else {
                    if !display { inline.toggle() }
                    index += 1
                }
                continue
            }
            index += 1
        }
        if inline { problems.append("a `$` is not closed \(place)") }
        if display { problems.append("a `$$` is not closed \(place)") }
        for name in environments { problems.append("\\begin{\(name)} is not closed \(place)") }
        return problems
    }

    /// `\begin{name}` or `\end{name}` at `index`: the name, whether it begins, and the index
    /// past it.
    private static func environment(_ characters: [Character], at index: Int) -> (String, Bool, Int)? {
        for (keyword, isBegin) in [("begin{", true), ("end{", false)] {
            let start = index + 1
            let word = Array(keyword)
            guard start + word.count <= characters.count,
                  Array(characters[start..<(start + word.count)]) == word,
                  let close = characters[(start + word.count)...].firstIndex(of: "}") else { continue }
            return (String(characters[(start + word.count)..<close]), isBegin, close + 1)
        }
        return nil
    }

    /// The index past the code span opened by the backticks at `index` (or past the
    /// backticks, when no run of the same length closes it).
    private static func endOfCodeSpan(_ characters: [Character], at index: Int) -> Int {
        var length = 0
        while index + length < characters.count && characters[index + length] == "`" { length += 1 }
        var search = index + length
        while search < characters.count {
            if characters[search] == "`" {
                var run = 0
                while search + run < characters.count && characters[search + run] == "`" { run += 1 }
                if run == length { return search + run }
                search += run
            } else {
                search += 1
            }
        }
        return index + length
    }
}
