/// The few Python literals a `.npy` header dictionary uses, e.g.
/// `{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }`.
indirect enum PythonLiteral: Equatable {
    case string(String)
    case integer(Int)
    case boolean(Bool)
    case none
    case tuple([PythonLiteral])
    case list([PythonLiteral])

    /// Parses a dictionary literal with string keys, allowing any whitespace, either quote
    /// character, trailing commas, and Python 2's `L` suffix on integers. Throws `badHeader`
    /// naming the problem and its byte offset.
    static func parseDictionary(_ text: [UInt8]) throws -> [(key: String, value: PythonLiteral)] {
        var parser = Parser(text: text)
        let entries = try parser.dictionary()
        parser.skipWhitespace()
        guard parser.atEnd else { throw parser.failure("unexpected text after the closing '}'") }
        return entries
    }

    /// The literal as Python's `repr` would print it, for messages.
    var pythonDescription: String {
        switch self {
        case .string(let text): return "'\(text)'"
        case .integer(let value): return String(value)
        case .boolean(let value): return value ? "True" : "False"
        case .none: return "None"
        case .tuple(let items):
            return items.count == 1
                ? "(\(items[0].pythonDescription),)"
                : "(" + items.map(\.pythonDescription).joined(separator: ", ") + ")"
        case .list(let items): return "[" + items.map(\.pythonDescription).joined(separator: ", ") + "]"
        }
    }
}

/// A recursive-descent parser over the header bytes, limited in nesting depth so that no
/// input can exhaust the stack.
private struct Parser {
    let text: [UInt8]
    var position = 0
    var depth = 0
    static let maximumDepth = 32

    var atEnd: Bool { position >= text.count }
    var current: UInt8? { position < text.count ? text[position] : nil }

    func failure(_ what: String) -> NumPyFormatError {
        .badHeader("\(what) at byte \(position)")
    }

    mutating func skipWhitespace() {
        while let byte = current, [0x20, 0x09, 0x0A, 0x0D, 0x0C].contains(byte) { position += 1 }
    }

    mutating func expect(_ character: Character) throws {
        skipWhitespace()
        guard let byte = current, byte == character.asciiValue else {
            throw failure("expected '\(character)'")
        }
        position += 1
    }

    mutating func dictionary() throws -> [(key: String, value: PythonLiteral)] {
        try expect("{")
        var entries: [(key: String, value: PythonLiteral)] = []
        while true {
            skipWhitespace()
            if current == UInt8(ascii: "}") { position += 1; return entries }
            guard case .string(let key) = try value() else { throw failure("expected a string key") }
            try expect(":")
            entries.append((key, try value()))
            skipWhitespace()
            if current == UInt8(ascii: ",") { position += 1; continue }
            try expect("}")
            return entries
        }
    }

    mutating func value() throws -> PythonLiteral {
        skipWhitespace()
        guard let byte = current else { throw failure("unexpected end of the header") }
        switch byte {
        case UInt8(ascii: "'"), UInt8(ascii: "\""): return .string(try string(quote: byte))
        case UInt8(ascii: "("): return try sequence(closing: ")")
        case UInt8(ascii: "["): return try sequence(closing: "]")
        case UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "0") ... UInt8(ascii: "9"): return .integer(try integer())
        default: return try name()
        }
    }

    mutating func string(quote: UInt8) throws -> String {
        let start = position + 1
        position = start
        while let byte = current, byte != quote {
            guard byte != UInt8(ascii: "\\") else { throw failure("escape sequences in strings are not supported") }
            guard byte != 0x0A else { throw failure("unterminated string") }
            position += 1
        }
        guard !atEnd else { throw failure("unterminated string") }
        position += 1
        return String(decoding: text[start ..< position - 1], as: UTF8.self)
    }

    mutating func integer() throws -> Int {
        var negative = false
        if let sign = current, sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") {
            negative = sign == UInt8(ascii: "-")
            position += 1
        }
        let start = position
        var value = 0
        while let byte = current, (UInt8(ascii: "0") ... UInt8(ascii: "9")).contains(byte) {
            let (shifted, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = shifted.addingReportingOverflow(Int(byte - UInt8(ascii: "0")))
            guard !overflow1, !overflow2 else { throw failure("integer too large") }
            value = sum
            position += 1
        }
        guard position > start else { throw failure("expected digits") }
        if current == UInt8(ascii: "L") || current == UInt8(ascii: "l") { position += 1 }
        return negative ? -value : value
    }

    mutating func name() throws -> PythonLiteral {
        let start = position
        while let byte = current, byte.isASCIILetterOrDigit { position += 1 }
        switch String(decoding: text[start ..< position], as: UTF8.self) {
        case "True": return .boolean(true)
        case "False": return .boolean(false)
        case "None": return .none
        case let other:
            position = start
            throw failure(other.isEmpty ? "unexpected character" : "unknown name '\(other)'")
        }
    }

    /// A tuple `( … )` or list `[ … ]`. A parenthesised single value without a comma is the
    /// value itself, as in Python: `(5)` is 5, `(5,)` is a tuple.
    mutating func sequence(closing: Character) throws -> PythonLiteral {
        depth += 1
        defer { depth -= 1 }
        guard depth <= Self.maximumDepth else { throw failure("nesting deeper than \(Self.maximumDepth) levels") }
        position += 1
        var items: [PythonLiteral] = []
        var sawComma = false
        while true {
            skipWhitespace()
            if current == closing.asciiValue { position += 1; break }
            items.append(try value())
            skipWhitespace()
            if current == UInt8(ascii: ",") { position += 1; sawComma = true; continue }
            try expect(closing)
            break
        }
        if closing == "]" { return .list(items) }
        if items.count == 1 && !sawComma { return items[0] }
        return .tuple(items)
    }
}

private extension UInt8 {
    var isASCIILetterOrDigit: Bool {
        (UInt8(ascii: "a") ... UInt8(ascii: "z")).contains(self)
            || (UInt8(ascii: "A") ... UInt8(ascii: "Z")).contains(self)
            || (UInt8(ascii: "0") ... UInt8(ascii: "9")).contains(self)
            || self == UInt8(ascii: "_")
    }
}
