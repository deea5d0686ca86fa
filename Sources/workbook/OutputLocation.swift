import Foundation

/// Checks made before a command does its work, so that an output it cannot write fails at
/// once with a clear message instead of after minutes of fitting or restoring. (The files
/// themselves are written atomically by the library: a temporary file beside the target,
/// then a rename, so a failure later still leaves any earlier file as it was.)
enum OutputLocation {
    /// Throws unless `file` can be created: its directory exists, is a directory and is
    /// writable, and `file` itself is either absent or a regular file. The output is written
    /// to a new file renamed over `file`, which would replace a symbolic link, a device (such
    /// as /dev/null) or a FIFO by a plain file: those are refused. `what` names the file in
    /// the message ("the model").
    static func requireWritableFile(_ file: String, what: String) throws {
        let directory = (file as NSString).deletingLastPathComponent
        let parent = directory.isEmpty ? "." : directory
        func fail(_ problem: String) -> InputError { InputError("cannot write \(what) '\(file)': \(problem)") }
        var status = stat()
        if lstat(file, &status) == 0 {
            switch status.st_mode & S_IFMT {
            case S_IFREG: break
            case S_IFDIR: throw fail("it is a directory")
            case S_IFLNK:
                let target = (try? FileManager.default.destinationOfSymbolicLink(atPath: file)) ?? "?"
                throw fail("it is a symbolic link (to '\(target)'), which writing would replace; give the file's own path")
            default: throw fail("it is not a regular file (a device, a FIFO or a socket), which writing would replace")
            }
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: parent, isDirectory: &isDirectory) else {
            throw fail("the directory '\(parent)' does not exist")
        }
        guard isDirectory.boolValue else { throw fail("'\(parent)' is not a directory") }
        guard access(parent, W_OK) == 0 else {
            throw fail("the directory '\(parent)' is not writable (\(String(cString: strerror(errno))))")
        }
    }

    /// Creates `directory` (and its parents) if needed; throws unless it then is a writable
    /// directory. `what` names it in the message ("the output directory").
    static func prepareDirectory(_ directory: String, what: String) throws {
        do {
            try makeDirectories(directory)
        } catch let problem as InputError {
            throw InputError("cannot write to \(what) '\(directory)': \(problem)")
        }
        guard access(directory, W_OK) == 0 else {
            throw InputError("cannot write to \(what) '\(directory)': \(String(cString: strerror(errno)))")
        }
    }

    /// `mkdir -p`, saying which path failed and the system's reason ("Not a directory").
    private static func makeDirectories(_ directory: String) throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) {
            if isDirectory.boolValue { return }
            throw InputError("'\(directory)' exists and is not a directory")
        }
        let parent = (directory as NSString).deletingLastPathComponent
        if !parent.isEmpty && parent != directory { try makeDirectories(parent) }
        guard mkdir(directory, 0o755) == 0 || errno == EEXIST else {
            throw InputError("cannot create '\(directory)': \(String(cString: strerror(errno)))")
        }
    }
}
