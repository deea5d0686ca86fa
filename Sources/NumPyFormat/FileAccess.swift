import Foundation

/// Reading whole files and writing them atomically, with clear errors.
enum FileAccess {
    /// The bytes of the file at `url`; throws `fileNotFound`, `isDirectory` or `cannotRead`
    /// (also for a device such as /dev/zero, a FIFO or a socket; not yet wrapped in the
    /// file's name).
    static func readBytes(at url: URL) throws -> [UInt8] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
            throw NumPyFormatError.fileNotFound
        }
        guard !isDirectory.boolValue else { throw NumPyFormatError.isDirectory }
        var status = stat()
        guard stat(url.path, &status) == 0, status.st_mode & S_IFMT == S_IFREG else {
            throw NumPyFormatError.cannotRead(reason: "it is not a regular file (a device, a FIFO or a socket?)")
        }
        do {
            return [UInt8](try Data(contentsOf: url))
        } catch {
            throw NumPyFormatError.cannotRead(reason: error.localizedDescription)
        }
    }

    /// Writes `bytes` to a new temporary file in the directory of `url`, flushes it to disk
    /// and renames it over `url`, so that `url` holds either the old or the whole new
    /// content, never a part. On failure the temporary file is removed.
    static func writeAtomically(_ bytes: [UInt8], to url: URL) throws {
        let directory = url.deletingLastPathComponent()
        let temporary = directory.appendingPathComponent(
            ".\(url.lastPathComponent).\(String(UInt64.random(in: 0 ... .max), radix: 36)).tmp")
        let descriptor = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw NumPyFormatError.cannotWrite(reason: systemError()) }
        var failure: String?
        bytes.withUnsafeBytes { buffer in
            guard let start = buffer.baseAddress else { return }
            var written = 0
            while written < buffer.count {
                let result = write(descriptor, start + written, buffer.count - written)
                if result < 0 {
                    if errno == EINTR { continue }
                    failure = systemError()
                    return
                }
                written += result
            }
        }
        if failure == nil && fsync(descriptor) != 0 { failure = systemError() }
        if close(descriptor) != 0 && failure == nil { failure = systemError() }
        if failure == nil && rename(temporary.path, url.path) != 0 { failure = systemError() }
        if let failure {
            unlink(temporary.path)
            throw NumPyFormatError.cannotWrite(reason: failure)
        }
    }

    private static func systemError() -> String {
        String(cString: strerror(errno))
    }
}
