/// What can go wrong in the workbook runtime and the `workbook` command.
public enum WorkbookError: Error, Equatable, CustomStringConvertible {
    /// A chapter name matched no chapter of the catalog.
    case unknownChapter(name: String, valid: [String])
    /// A chapter's executable is not in the binaries directory.
    case missingChapterBinary(product: String, directory: String)
    /// A chapter's executable could not be started.
    case cannotLaunch(path: String, reason: String)
    /// A chapter launched by `workbook run` exited with a non-zero status.
    case chapterFailed(slug: String, status: Int32)
    /// A chapter launched by `workbook run` was killed by a signal.
    case chapterKilled(slug: String, signal: Int32)
    /// The results file could not be written.
    case cannotWriteRecord(path: String, reason: String)
    /// A results file could not be read back.
    case cannotReadRecord(path: String, reason: String)

    public var description: String {
        switch self {
        case let .unknownChapter(name, valid):
            return "unknown chapter '\(name)'. The chapters are: \(valid.joined(separator: ", "))"
                + " (give a slug, its number, or its product name chNN-slug)."
        case let .missingChapterBinary(product, directory):
            return "the chapter executable '\(product)' is not in \(directory). "
                + "Build the chapters with `swift build -c release` "
                + "(then `workbook run --binaries .build/release`)."
        case let .cannotLaunch(path, reason):
            return "cannot start \(path): \(reason)"
        case let .chapterFailed(slug, status):
            return "chapter \(slug) failed (exit status \(status))."
        case let .chapterKilled(slug, signal):
            return "chapter \(slug) was killed by signal \(signal)."
        case let .cannotWriteRecord(path, reason):
            return "cannot write the results file \(path): \(reason)"
        case let .cannotReadRecord(path, reason):
            return "cannot read the results file \(path): \(reason)"
        }
    }
}
