import Foundation

/// Writing a file so that it is either the old file or the whole new one, never half.
enum AtomicFile {
    /// Writes `data` to a temporary file beside `url` and renames it to `url` (POSIX
    /// `rename` replaces the target atomically). Creates the directory if needed.
    static func write(_ data: Data, to url: URL) throws {
        try write(to: url) { temporary in
            do {
                try data.write(to: temporary)
            } catch {
                throw WorkbookError.cannotWriteRecord(
                    path: url.path,
                    reason: "writing the temporary file \(temporary.path) failed: \(FileSystemError.readable(error))")
            }
        }
    }

    /// Has `produce` write the file to a temporary path beside `url` (a program writing its
    /// output file), then renames it to `url`; the temporary file is removed if `produce`
    /// throws. Creates the directory if needed.
    static func write(to url: URL, using produce: (URL) throws -> Void) throws {
        let directory = url.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw WorkbookError.cannotWriteRecord(
                path: url.path, reason: "cannot create the directory \(directory.path): \(FileSystemError.readable(error))")
        }
        let temporary = directory.appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString.prefix(8)).tmp")
        do {
            try produce(temporary)
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        }
        guard rename(temporary.path, url.path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw WorkbookError.cannotWriteRecord(path: url.path, reason: reason)
        }
    }
}
