/// Spelling values as gnuplot source text.
enum GnuplotSyntax {
    /// A double-quoted gnuplot string literal: backslash, double quote and newline escaped
    /// (terminals are `noenhanced`, so no other character is special).
    static func quoted(_ text: String) -> String {
        var result = "\""
        for character in text {
            switch character {
            case "\\": result += "\\\\"
            case "\"": result += "\\\""
            case "\n": result += "\\n"
            case "\r", "\t": result += " "
            default: result.append(character)
            }
        }
        return result + "\""
    }

    /// A number as gnuplot reads it back exactly (shortest round-trip form, always with a
    /// decimal point or exponent so gnuplot does floating-point, not integer, arithmetic).
    static func number(_ value: Double) -> String {
        let text = "\(value)"
        return text.contains(".") || text.contains("e") ? text : text + ".0"
    }

    /// A gnuplot colour specification.
    static func color(_ color: Color) -> String { "rgb \(quoted(color.hex))" }
}
