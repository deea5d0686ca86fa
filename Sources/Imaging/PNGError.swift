/// Errors of the PNG reader and writer. Every message names the file; decoding failures
/// carry libpng's own message.
public enum PNGError: Error, Equatable, CustomStringConvertible {
    case fileNotFound(path: String)
    case isDirectory(path: String)
    case unreadable(path: String, reason: String)
    /// The file does not start with the 8-byte PNG signature.
    case notPNG(path: String)
    /// The file is an image of another format (`format`: JPEG, GIF, TIFF, BMP or WebP, told
    /// by its first bytes).
    case otherImageFormat(path: String, format: String)
    /// A chunk runs past the end of the file: the chunk starting at byte `offset` (of type
    /// `chunk`, unless its header is cut) needs `needed` bytes but `available` remain.
    case truncated(path: String, offset: Int, chunk: String?, needed: Int, available: Int)
    /// libpng could not decode the file (truncated or corrupt); `message` is libpng's.
    case decodingFailed(path: String, message: String)
    /// The header announces more pixels than the file could possibly hold.
    case implausibleSize(path: String, width: Int, height: Int)
    /// Decoding the image would need more memory than the machine has.
    case tooLarge(path: String, reason: String)
    /// The image cannot be written (non-finite values, ...).
    case unwritableImage(path: String, detail: String)
    /// libpng or the file system failed while writing.
    case writeFailed(path: String, reason: String)

    public var description: String {
        switch self {
        case .fileNotFound(let path):
            return "PNG file '\(path)' does not exist"
        case .isDirectory(let path):
            return "'\(path)' is a directory, not a PNG file"
        case .unreadable(let path, let reason):
            return "cannot read PNG file '\(path)': \(reason)"
        case .notPNG(let path):
            return "'\(path)' is not a PNG file (it lacks the PNG signature)"
        case .otherImageFormat(let path, let format):
            let lossy = ["JPEG", "WebP"].contains(format)
                ? " (its lossy compression leaves artefacts that are not the white Gaussian noise restoration assumes)" : ""
            return "'\(path)' is a \(format) file, not a PNG: the workbook reads PNG only; convert it first, "
                + "e.g. with ImageMagick: convert '\(path)' picture.png\(lossy)"
        case .truncated(let path, let offset, let chunk, let needed, let available):
            let what = chunk.map { "the \($0.debugDescription) chunk" } ?? "the header of the chunk"
            return "PNG file '\(path)' is truncated: \(what) at byte \(offset) needs \(needed) bytes "
                + "but only \(available) remain"
        case .decodingFailed(let path, let message):
            return "PNG file '\(path)' is truncated or corrupt: libpng says \"\(message)\""
        case .implausibleSize(let path, let width, let height):
            return "PNG file '\(path)' claims \(width)x\(height) pixels, more than its data can hold"
        case .tooLarge(let path, let reason):
            return "PNG file '\(path)' is too large: \(reason)"
        case .unwritableImage(let path, let detail):
            return "cannot write PNG file '\(path)': \(detail)"
        case .writeFailed(let path, let reason):
            return "writing PNG file '\(path)' failed: \(reason)"
        }
    }
}
