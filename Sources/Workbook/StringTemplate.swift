/// A Swift string literal as written in a chapter's source: text with interpolations
/// (`"mosaic-m\(m)"`), for matching the strings it can produce (`mosaic-m8`, `mosaic-m16`).
///
/// An interpolation stands for one or more characters, so `"mosaic-m\(m)"` matches
/// `mosaic-m8` and `mosaic-m16` but neither `mosaic-m` nor `mosaic-x8`.
public struct StringTemplate: Equatable, Sendable {
    /// The literal's pieces in order.
    public enum Part: Equatable, Sendable {
        /// Text, with the escapes resolved (`\"` is `"`).
        case text(String)
        /// An interpolation `\(…)`, holding its expression as written.
        case interpolation(String)
    }

    public let parts: [Part]

    public init(parts: [Part]) {
        self.parts = parts
    }

    /// The literal as a reader of the source sees it: text, and interpolations as `\(…)`.
    public var written: String {
        parts.map { part in
            switch part {
            case let .text(text): text
            case let .interpolation(expression): "\\(" + expression + ")"
            }
        }.joined()
    }

    /// The text outside interpolations.
    public var literalText: String {
        parts.map { if case let .text(text) = $0 { text } else { "" } }.joined()
    }

    /// Whether the literal has no interpolation.
    public var isPlain: Bool {
        !parts.contains { if case .interpolation = $0 { true } else { false } }
    }

    /// Whether the literal can produce `string`: every text piece in order, each
    /// interpolation standing for at least one character.
    ///
    /// Matched piece by piece from the left: taking the earliest place a middle piece fits is
    /// never worse than a later one, and the last piece, after an interpolation, must end the
    /// string.
    public func matches(_ string: String) -> Bool {
        let characters = Array(string)
        var position = 0
        var skipAtLeast = 0   // characters the interpolations since the last text must cover
        for (index, part) in parts.enumerated() {
            guard case let .text(text) = part else {
                skipAtLeast += 1
                continue
            }
            let piece = Array(text)
            let earliest = position + skipAtLeast
            if skipAtLeast == 0 {
                guard characters[position...].starts(with: piece) else { return false }
                position += piece.count
            } else if index == parts.count - 1 {
                guard characters.count - piece.count >= earliest,
                      characters[(characters.count - piece.count)...].elementsEqual(piece) else { return false }
                position = characters.count
            } else {
                guard let found = Self.firstIndex(of: piece, in: characters, from: earliest) else { return false }
                position = found + piece.count
            }
            skipAtLeast = 0
        }
        return characters.count - position >= skipAtLeast && (skipAtLeast > 0 || position == characters.count)
    }

    /// The first index at or after `start` where `piece` occurs in `characters`.
    private static func firstIndex(of piece: [Character], in characters: [Character], from start: Int) -> Int? {
        guard start + piece.count <= characters.count else { return nil }
        return (start...(characters.count - piece.count)).first { characters[$0...].starts(with: piece) }
    }
}

extension StringTemplate {
    /// Parses the single-line string literal that starts at `start` (at its opening quote)
    /// in `line`; returns it and the index just past its closing quote, or nil when there is
    /// no complete literal there.
    static func parse(in line: Substring, at start: Substring.Index) -> (StringTemplate, Substring.Index)? {
        guard start < line.endIndex, line[start] == "\"" else { return nil }
        var parts: [Part] = []
        var text = ""
        var index = line.index(after: start)
        while index < line.endIndex {
            let character = line[index]
            if character == "\"" {
                if !text.isEmpty { parts.append(.text(text)) }
                return (StringTemplate(parts: parts), line.index(after: index))
            }
            guard character == "\\" else {
                text.append(character)
                index = line.index(after: index)
                continue
            }
            let escaped = line.index(after: index)
            guard escaped < line.endIndex else { return nil }
            if line[escaped] == "(" {
                guard let (expression, end) = interpolation(in: line, after: escaped) else { return nil }
                if !text.isEmpty { parts.append(.text(text)) }
                text = ""
                parts.append(.interpolation(expression))
                index = end
            } else {
                text.append(unescaped(line[escaped]))
                index = line.index(after: escaped)
            }
        }
        return nil
    }

    /// The expression of `\(…)` whose `(` is at `open`, and the index past its `)`; nested
    /// parentheses and string literals inside it are skipped over.
    private static func interpolation(
        in line: Substring, after open: Substring.Index
    ) -> (String, Substring.Index)? {
        var depth = 1
        var index = line.index(after: open)
        var inString = false
        while index < line.endIndex {
            let character = line[index]
            if inString {
                if character == "\\" {
                    index = line.index(after: index)
                    guard index < line.endIndex else { return nil }
                } else if character == "\"" {
                    inString = false
                }
            } else if character == "\"" {
                inString = true
            } else if character == "(" {
                depth += 1
            } else if character == ")" {
                depth -= 1
                if depth == 0 {
                    return (String(line[line.index(after: open)..<index]), line.index(after: index))
                }
            }
            index = line.index(after: index)
        }
        return nil
    }

    private static func unescaped(_ character: Character) -> Character {
        switch character {
        case "n": "\n"
        case "t": "\t"
        case "0": "\0"
        default: character
        }
    }
}
