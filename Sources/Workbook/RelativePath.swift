import Foundation

/// Relative links between files, as a Markdown document needs them.
enum RelativePath {
    /// The path of `target` relative to the directory `base`, with `/` separators:
    /// `figures/01-patches/mosaic.png` from `report/` is `../figures/01-patches/mosaic.png`.
    /// Both are made absolute (against the current directory) and standardised first.
    static func from(_ base: URL, to target: URL) -> String {
        let baseParts = components(of: base)
        let targetParts = components(of: target)
        let common = zip(baseParts, targetParts).prefix { $0 == $1 }.count
        let ups = Array(repeating: "..", count: baseParts.count - common)
        let path = (ups + targetParts[common...]).joined(separator: "/")
        return path.isEmpty ? "." : path
    }

    private static func components(of url: URL) -> [String] {
        url.absoluteURL.standardizedFileURL.path.split(separator: "/").map(String.init)
    }

    /// A relative path as a Markdown link destination: spaces and parentheses
    /// percent-encoded, so the link survives any Markdown reader.
    static func linkDestination(_ path: String) -> String {
        var encoded = ""
        for character in path {
            switch character {
            case " ": encoded += "%20"
            case "(": encoded += "%28"
            case ")": encoded += "%29"
            case "<": encoded += "%3C"
            case ">": encoded += "%3E"
            default: encoded.append(character)
            }
        }
        return encoded
    }
}
