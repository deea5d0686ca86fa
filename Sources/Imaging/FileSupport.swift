#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What is at a path, as far as a reader cares.
enum PathKind: Equatable {
    case regularFile(size: Int)
    case missing
    case directory
    /// Exists but cannot be examined or is not a regular file (socket, device, ...).
    case unusable(reason: String)

    /// Examines `path` with stat(2), following symbolic links.
    init(path: String) {
        var info = stat()
        guard stat(path, &info) == 0 else {
            self = errno == ENOENT || errno == ENOTDIR
                ? .missing : .unusable(reason: String(cString: strerror(errno)))
            return
        }
        switch info.st_mode & S_IFMT {
        case S_IFDIR: self = .directory
        case S_IFREG: self = .regularFile(size: Int(info.st_size))
        default: self = .unusable(reason: "not a regular file")
        }
    }
}

/// A failure to read a file; `reason` is the operating system's.
struct FileReadFailure: Error {
    let reason: String
}

/// The whole content of the file at `path`.
func readWholeFile(_ path: String) throws(FileReadFailure) -> [UInt8] {
    guard let file = fopen(path, "rb") else { throw FileReadFailure(reason: String(cString: strerror(errno))) }
    defer { fclose(file) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    while true {
        let got = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
        bytes.append(contentsOf: chunk[0..<got])
        if got < chunk.count { break }
    }
    guard ferror(file) == 0 else { throw FileReadFailure(reason: String(cString: strerror(errno))) }
    return bytes
}

/// A failure to write a file; `message` is ready to show.
public struct FileWriteFailure: Error {
    public let message: String
}

/// Writes a file atomically: `produce` writes the complete content to a temporary file in
/// the destination's directory (so the rename stays on one file system), which then
/// replaces `path` by rename(2). Readers never see a half-written file; on failure the
/// temporary file is removed and `path` is left as it was.
func writeAtomically(to path: String, _ produce: (_ temporaryPath: String) throws(FileWriteFailure) -> Void)
    throws(FileWriteFailure)
{
    let directory: String
    let name: String
    if let slash = path.lastIndex(of: "/") {
        directory = String(path[...slash])
        name = String(path[path.index(after: slash)...])
    } else {
        directory = ""
        name = path
    }
    guard !name.isEmpty else { throw FileWriteFailure(message: "'\(path)' names a directory, not a file") }
    var template = Array("\(directory).\(name).tmp-XXXXXX".utf8CString)
    let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
    guard descriptor >= 0 else {
        throw FileWriteFailure(
            message: "cannot create a temporary file next to '\(path)': \(String(cString: strerror(errno)))")
    }
    fchmod(descriptor, 0o644)
    close(descriptor)
    let temporaryPath = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    do {
        try produce(temporaryPath)
    } catch {
        unlink(temporaryPath)
        throw error
    }
    guard rename(temporaryPath, path) == 0 else {
        let reason = String(cString: strerror(errno))
        unlink(temporaryPath)
        throw FileWriteFailure(message: "cannot move the new file into place at '\(path)': \(reason)")
    }
}

/// Writes `bytes` to `path` atomically (see `writeAtomically(to:_:)`).
func writeBytesAtomically(_ bytes: [UInt8], to path: String) throws(FileWriteFailure) {
    try writeAtomically(to: path) { (temporaryPath: String) throws(FileWriteFailure) in
        guard let file = fopen(temporaryPath, "wb") else {
            throw FileWriteFailure(message: "cannot open '\(path)' for writing: \(String(cString: strerror(errno)))")
        }
        let written = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
        let closed = fclose(file)
        guard written == bytes.count, closed == 0 else {
            throw FileWriteFailure(message: "cannot write '\(path)': \(String(cString: strerror(errno)))")
        }
    }
}
