import Foundation

/// Converting the report's Markdown to one standalone HTML file with pandoc: math as
/// MathML, the figures embedded, a table of contents; readable offline.
public struct Pandoc: Sendable {
    /// The `pandoc` executable.
    public let executable: URL
    /// Its version (`[2, 17, 1, 1]`).
    public let version: [Int]

    public init(executable: URL, version: [Int]) {
        self.executable = executable
        self.version = version
    }

    /// The `pandoc` on `PATH`, with its version; nil when there is none (or it does not run).
    public static func find(environment: [String: String] = ProcessInfo.processInfo.environment) -> Pandoc? {
        let directories = (environment["PATH"] ?? "").split(separator: ":").map(String.init)
        for directory in directories where !directory.isEmpty {
            let url = URL(fileURLWithPath: directory).appendingPathComponent("pandoc")
            guard FileManager.default.isExecutableFile(atPath: url.path),
                  let output = try? run(url, ["--version"], keeping: .standardOutput), output.status == 0,
                  let version = version(fromVersionOutput: output.text) else { continue }
            return Pandoc(executable: url, version: version)
        }
        return nil
    }

    /// The version in the first line of `pandoc --version` (`pandoc 2.17.1.1`).
    public static func version(fromVersionOutput output: String) -> [Int]? {
        guard let first = output.split(separator: "\n").first,
              let word = first.split(separator: " ").last else { return nil }
        let numbers = word.split(separator: ".").map { Int($0) }
        guard !numbers.isEmpty, numbers.allSatisfy({ $0 != nil }) else { return nil }
        return numbers.compactMap { $0 }
    }

    /// Whether this pandoc has `--embed-resources` (2.19 and later); older ones embed with
    /// `--self-contained`.
    public var hasEmbedResources: Bool {
        !version.lexicographicallyPrecedes([2, 19])
    }

    /// The arguments that turn `input` (the report's Markdown) into the standalone HTML
    /// `output`: Markdown read as GitHub reads it, with `$` math (`commonmark_x` without
    /// `~sub~` and `^super^`, so `~` and `^` stay text; without fancy lists, so a line
    /// starting "(001)" stays in its paragraph; without smart punctuation, so `--quick`
    /// keeps its two hyphens); the first heading as the title, MathML, a table of contents
    /// of the chapters, the images, styles and scripts embedded, and the file `header`
    /// (``style``) in the page's head. Relative links resolve against `resourceDirectory`.
    public func htmlArguments(input: String, header: String, output: String, resourceDirectory: String) -> [String] {
        let embed = hasEmbedResources ? ["--embed-resources", "--standalone"] : ["--self-contained"]
        return [
            input,
            "--from", "commonmark_x-subscript-superscript-fancy_lists-smart",
            "--to", "html5",
            "--standalone",
        ] + embed + [
            "--mathml",
            "--toc", "--toc-depth=1", "--metadata", "toc-title=Contents",
            "--shift-heading-level-by=-1",
            "--resource-path", resourceDirectory,
            "--variable", "fontsize=17px",
            "--variable", "monobackgroundcolor=#f5f5f5",
            "--include-in-header", header,
            "--output", output,
        ]
    }

    /// Converts `markdown` (whose relative links start from `directory`) to `html`
    /// (written atomically); returns what pandoc warned about (a formula it could not turn
    /// into MathML, an image it could not find), one line each. Pandoc reads the text of
    /// ``texmathCompatible(_:)`` from a temporary file in `directory`, removed afterwards.
    public func convert(markdown: String, linksFrom directory: URL, to html: URL) throws -> [String] {
        let stem = ".\(html.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier)"
        let input = directory.appendingPathComponent(stem + ".md")
        let header = directory.appendingPathComponent(stem + ".head.html")
        defer {
            try? FileManager.default.removeItem(at: input)
            try? FileManager.default.removeItem(at: header)
        }
        var warnings: [String] = []
        do {
            try AtomicFile.write(Data(Self.texmathCompatible(markdown).utf8), to: input)
            try AtomicFile.write(Data(Self.style.utf8), to: header)
            try AtomicFile.write(to: html) { temporary in
                let arguments = htmlArguments(
                    input: input.path, header: header.path, output: temporary.path,
                    resourceDirectory: directory.path)
                let result: (status: Int32, text: String)
                do {
                    result = try Self.run(executable, arguments, keeping: .standardError)
                } catch {
                    throw ReportError.cannotRunPandoc(path: executable.path, reason: String(describing: error))
                }
                guard result.status == 0 else {
                    throw ReportError.pandocFailed(status: result.status, message: result.text)
                }
                warnings = result.text.split(separator: "\n").map(String.init)
            }
        } catch let error as WorkbookError {
            guard case let .cannotWriteRecord(path, reason) = error else { throw error }
            throw ReportError.cannotWrite(path: path, reason: reason)
        }
        return warnings
    }

    /// The styles added to pandoc's own: a wider page for the tables and code, centred
    /// figures with small captions, folded code that shows it can be opened, math in a
    /// font with large operators (whichever of the usual OpenType math fonts is installed),
    /// display math that scrolls rather than overflows, and no error colour on Swift's `\(…)`
    /// interpolations (pandoc's Swift highlighter does not know them).
    public static let style = """
        <style>
        body { max-width: 56em; }
        figure { margin: 1.5em 0; text-align: center; }
        figcaption { font-size: 80%; color: #555; }
        details { margin: 1em 0; }
        summary { cursor: pointer; color: #555; }
        table { font-size: 85%; }
        pre { font-size: 90%; }
        math { font-family: "STIX Two Math", "Cambria Math", "Latin Modern Math", "DejaVu Math TeX Gyre", math; }
        math[display="block"] { overflow-x: auto; overflow-y: hidden; }
        code span.er { color: inherit; font-weight: normal; }
        </style>
        """

    /// `markdown` with the LaTeX that pandoc's math converter (texmath) rejects up to at
    /// least pandoc 2.17 rewritten to what it accepts and renders alike: `\Bigl` and `\Bigr`
    /// become `\Big` (the same delimiter size; only the thin spacing of an opening or
    /// closing delimiter is lost). The Markdown file itself keeps the original.
    public static func texmathCompatible(_ markdown: String) -> String {
        markdown.replacingOccurrences(of: "\\Bigl", with: "\\Big")
            .replacingOccurrences(of: "\\Bigr", with: "\\Big")
    }

    /// Which output of pandoc to keep.
    private enum Stream { case standardOutput, standardError }

    /// Runs `executable arguments` and returns its exit status with the text of `stream`
    /// (the other stream is discarded, so no second pipe can fill up and block pandoc).
    private static func run(_ executable: URL, _ arguments: [String], keeping stream: Stream) throws
        -> (status: Int32, text: String)
    {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let pipe = Pipe()
        switch stream {
        case .standardOutput:
            process.standardOutput = pipe
            process.standardError = FileHandle.nullDevice
        case .standardError:
            process.standardOutput = FileHandle.nullDevice
            process.standardError = pipe
        }
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
