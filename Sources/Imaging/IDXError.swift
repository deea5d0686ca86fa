/// Errors of the IDX reader and writer. Every message names the file.
public enum IDXError: Error, Equatable, CustomStringConvertible {
    case fileNotFound(path: String)
    case isDirectory(path: String)
    case emptyFile(path: String)
    /// The operating system refused to open or read the file.
    case unreadable(path: String, reason: String)
    /// The first four bytes are not an IDX magic number (`0x00 0x00 type dims`).
    case notIDX(path: String, magic: UInt32)
    /// A label file (magic 2049) was given to the image reader.
    case labelFileGivenToImageReader(path: String)
    /// An image file (magic 2051) was given to the label reader.
    case imageFileGivenToLabelReader(path: String)
    /// An IDX file of a kind this reader does not handle (another element type or rank).
    case unsupportedIDXType(path: String, magic: UInt32, expected: UInt32)
    /// The header's dimensions cannot be right: zero rows or columns, a size that overflows,
    /// or a single image larger than the file could hold.
    case absurdDimensions(path: String, detail: String)
    /// The file ends before the data its header announces.
    case truncated(path: String, neededBytes: Int, availableBytes: Int)
    /// The gzip stream is damaged (zlib's message).
    case corruptGzip(path: String, message: String)
    /// A negative `limit`.
    case invalidLimit(Int)
    /// Image and label files of one data set hold different numbers of items.
    case countMismatch(imagesPath: String, images: Int, labelsPath: String, labels: Int)
    /// The writer was given data IDX cannot hold.
    case unwritableData(path: String, detail: String)
    case writeFailed(path: String, reason: String)

    public var description: String {
        switch self {
        case .fileNotFound(let path):
            return "IDX file '\(path)' does not exist"
        case .isDirectory(let path):
            return "'\(path)' is a directory, not an IDX file"
        case .emptyFile(let path):
            return "IDX file '\(path)' is empty"
        case .unreadable(let path, let reason):
            return "cannot read IDX file '\(path)': \(reason)"
        case .notIDX(let path, let magic):
            return "'\(path)' is not an IDX file (its first four bytes are "
                + "0x\(String(magic, radix: 16)), not an IDX magic number such as 2051 or 2049)"
        case .labelFileGivenToImageReader(let path):
            return "'\(path)': this is a label file, not an image file (magic number 2049; "
                + "the image reader expects 2051)"
        case .imageFileGivenToLabelReader(let path):
            return "'\(path)': this is an image file, not a label file (magic number 2051; "
                + "the label reader expects 2049)"
        case .unsupportedIDXType(let path, let magic, let expected):
            return "'\(path)' is an IDX file of another kind (magic number \(magic), expected \(expected))"
        case .absurdDimensions(let path, let detail):
            return "IDX file '\(path)' has a corrupt header: \(detail)"
        case .truncated(let path, let needed, let available):
            return "IDX file '\(path)' is truncated: reading it needs \(needed) bytes of content "
                + "(header and data) but only \(available) are there"
        case .corruptGzip(let path, let message):
            return "the gzip compression of '\(path)' is corrupt: \(message)"
        case .invalidLimit(let limit):
            return "the image limit must be zero or positive, not \(limit)"
        case .countMismatch(let imagesPath, let images, let labelsPath, let labels):
            return "'\(imagesPath)' holds \(images) images but '\(labelsPath)' holds \(labels) labels"
        case .unwritableData(let path, let detail):
            return "cannot write IDX file '\(path)': \(detail)"
        case .writeFailed(let path, let reason):
            return "writing IDX file '\(path)' failed: \(reason)"
        }
    }
}
