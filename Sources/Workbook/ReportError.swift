/// What can go wrong while weaving the report.
public enum ReportError: Error, Equatable, CustomStringConvertible {
    /// A chapter's `main.swift` is not where the report looks for it.
    case missingSource(slug: String, path: String)
    /// A chapter's source does not have the shape the report weaves.
    case unparsableSource(path: String, line: Int, reason: String)
    /// A chapter has no `results.json`: it has not been run into this figures directory.
    case missingResults(slug: String, path: String)
    /// A chapter's `results.json` exists but cannot be read.
    case unreadableResults(slug: String, path: String, reason: String)
    /// Several chapters could not be woven; each problem says why.
    case chaptersUnavailable([ReportError])
    /// A report file could not be written.
    case cannotWrite(path: String, reason: String)
    /// pandoc could not be started.
    case cannotRunPandoc(path: String, reason: String)
    /// pandoc ran and failed.
    case pandocFailed(status: Int32, message: String)

    public var description: String {
        switch self {
        case let .missingSource(slug, path):
            return "chapter \(slug): its source \(path) does not exist "
                + "(run the report from the repository root, or give --sources)."
        case let .unparsableSource(path, line, reason):
            return "\(path):\(line): \(reason)"
        case let .missingResults(slug, path):
            return "chapter \(slug) has no results: \(path) is missing. Run the chapter first "
                + "(`workbook run \(slug)`, or `workbook report` without --no-run)."
        case let .unreadableResults(slug, path, reason):
            return "chapter \(slug): cannot read \(path): \(reason). Run the chapter again "
                + "(`workbook run \(slug)`)."
        case let .chaptersUnavailable(problems):
            return "cannot weave the report:\n"
                + problems.map { "  - \($0.description)" }.joined(separator: "\n")
        case let .cannotWrite(path, reason):
            return "cannot write \(path): \(reason)"
        case let .cannotRunPandoc(path, reason):
            return "cannot start pandoc (\(path)): \(reason)"
        case let .pandocFailed(status, message):
            return "pandoc failed (exit status \(status)): \(message)"
        }
    }
}
