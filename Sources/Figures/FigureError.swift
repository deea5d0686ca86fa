import Foundation

/// Everything that can go wrong while writing a figure; each case prints as one clear message.
public enum FigureError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The gnuplot executable is not installed (or not on PATH).
    case gnuplotNotFound
    /// gnuplot is installed but could not be started or talked to.
    case gnuplotSession(String)
    /// gnuplot ran the figure's script and exited with a non-zero status.
    case gnuplotFailed(figure: String, exitStatus: Int32, output: String)
    /// A figure name that is not a plain file name.
    case invalidName(String)
    /// The figure's data are inconsistent (the problem names the offending part).
    case invalidFigure(figure: String, problem: String)
    /// A file or directory could not be created, written or renamed.
    case cannotWrite(path: String, reason: String)

    public var description: String {
        switch self {
        case .gnuplotNotFound:
            return "gnuplot not found: install it with `make deps` (Debian package gnuplot-nox)"
        case .gnuplotSession(let message):
            return "gnuplot: \(message)"
        case .gnuplotFailed(let figure, let exitStatus, let output):
            let said = output.trimmingCharacters(in: .whitespacesAndNewlines)
            return "gnuplot failed drawing figure '\(figure)' (exit status \(exitStatus))"
                + (said.isEmpty ? "" : ": \(said)")
        case .invalidName(let name):
            return "invalid figure name '\(name)': use letters, digits, '-', '_' and '.', "
                + "starting with a letter or digit"
        case .invalidFigure(let figure, let problem):
            return "figure '\(figure)': \(problem)"
        case .cannotWrite(let path, let reason):
            return "cannot write \(path): \(reason)"
        }
    }
}

/// A problem found in a figure's data while drawing it; `FigureWriter` reports it as
/// `FigureError.invalidFigure` with the figure's name.
public struct FigureProblem: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
