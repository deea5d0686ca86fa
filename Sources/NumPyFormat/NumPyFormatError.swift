/// Everything that can go wrong reading or writing `.npy` / `.npz` files. Every malformed
/// input becomes one of these (never a crash); the message names the file and, inside an
/// archive, the member, and says what is wrong with it.
///
/// Errors found while decoding bytes are wrapped in `inFile` (and `inMember` for archive
/// members) by the functions that know the names; `problem` gives the innermost error.
public indirect enum NumPyFormatError: Error, Equatable, Sendable, CustomStringConvertible {
    // Context.
    /// The error happened in the file at `path`.
    case inFile(path: String, NumPyFormatError)
    /// The error happened in the `.npz` member `name`.
    case inMember(name: String, NumPyFormatError)

    // The file system.
    case fileNotFound
    case isDirectory
    case cannotRead(reason: String)
    case cannotWrite(reason: String)

    // The `.npy` format.
    case emptyInput
    case badMagic
    case unsupportedVersion(major: Int, minor: Int)
    case truncatedHeader(needed: Int, available: Int)
    case badHeader(String)
    case unsupportedDType(String, reason: String?)
    case shapeTooLarge([Int])
    case truncatedData(count: Int, dtype: String, bytesNeeded: Int, bytesAvailable: Int)
    case trailingBytes(Int)
    case valueOutOfRange(String)
    case invalidCodePoint(UInt32)

    // Arrays.
    case invalidShape([Int])
    case elementCountMismatch(shape: [Int], count: Int)
    case dtypeMismatch(expected: String, actual: String)
    case shapeMismatch(expected: [Int], actual: [Int])
    case notAScalar(shape: [Int])
    case unrepresentableString(String)

    // The `.npz` (ZIP) container.
    case notAZip
    case badZip(String)
    case unsupportedZip(String)
    case badCRC(stored: UInt32, computed: UInt32)
    case sizeMismatch(recorded: Int, actual: Int)
    case duplicateMember(String)
    case tooLargeForZip(String)

    /// The innermost error, without the file and member names around it.
    public var problem: NumPyFormatError {
        switch self {
        case .inFile(_, let inner), .inMember(_, let inner): return inner.problem
        default: return self
        }
    }

    public var description: String {
        switch self {
        case .inFile(let path, let inner):
            return "'\(path)': \(inner.description)"
        case .inMember(let name, let inner):
            return "zip member '\(name)': \(inner.description)"
        case .fileNotFound:
            return "no such file"
        case .isDirectory:
            return "is a directory, not a file"
        case .cannotRead(let reason):
            return "cannot read: \(reason)"
        case .cannotWrite(let reason):
            return "cannot write: \(reason)"
        case .emptyInput:
            return "the file is empty (0 bytes)"
        case .badMagic:
            return "not a .npy file (bad magic: it does not start with \\x93NUMPY)"
        case .unsupportedVersion(let major, let minor):
            return "unsupported .npy format version \(major).\(minor) (supported: 1.0, 2.0, 3.0)"
        case .truncatedHeader(let needed, let available):
            return "truncated header: it needs \(needed) bytes, the file has \(available)"
        case .badHeader(let what):
            return "bad header: \(what)"
        case .unsupportedDType(let descr, let reason):
            return "unsupported dtype \(descr)" + (reason.map { " (\($0))" } ?? "")
        case .shapeTooLarge(let shape):
            return "shape \(Self.pythonTuple(shape)) is too large"
        case .truncatedData(let count, let dtype, let needed, let available):
            return "truncated data: header says \(count) \(dtype) values (\(needed) bytes), file has \(available)"
        case .trailingBytes(let count):
            return "\(count) unexpected bytes after the array data"
        case .valueOutOfRange(let what):
            return "value out of range: \(what)"
        case .invalidCodePoint(let value):
            return "invalid Unicode code point 0x\(String(value, radix: 16)) in a string"
        case .invalidShape(let shape):
            return "invalid shape \(Self.pythonTuple(shape)): dimensions must be non-negative"
        case .elementCountMismatch(let shape, let count):
            return "shape \(Self.pythonTuple(shape)) does not match the \(count) values given"
        case .dtypeMismatch(let expected, let actual):
            return "expected \(expected) values, found a \(actual)"
        case .shapeMismatch(let expected, let actual):
            return "expected shape \(Self.pythonTuple(expected)), found \(Self.pythonTuple(actual))"
        case .notAScalar(let shape):
            return "expected a single value, found an array of shape \(Self.pythonTuple(shape))"
        case .unrepresentableString(let string):
            return "the string \(string.debugDescription) ends in U+0000, which NumPy would drop"
        case .notAZip:
            return "not a .npz file (no ZIP end-of-central-directory record)"
        case .badZip(let what):
            return "malformed ZIP archive: \(what)"
        case .unsupportedZip(let what):
            return "unsupported ZIP feature: \(what)"
        case .badCRC(let stored, let computed):
            return "bad CRC-32 (stored 0x\(Self.hex(stored)), computed 0x\(Self.hex(computed)))"
        case .sizeMismatch(let recorded, let actual):
            return "size mismatch: the archive records \(recorded) bytes, the data hold \(actual)"
        case .duplicateMember(let name):
            return "the archive has two members named '\(name)'"
        case .tooLargeForZip(let what):
            return "\(what) exceeds the 4 GiB limit of ZIP without ZIP64 (not supported)"
        }
    }

    /// A shape the way Python prints it: `()`, `(5,)`, `(2, 3)`.
    public static func pythonTuple(_ shape: [Int]) -> String {
        shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
    }

    private static func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 8 - digits.count) + digits
    }
}
