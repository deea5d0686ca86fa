#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs a program in this process's own process group and waits for it.
///
/// Foundation's `Process` puts the child in a new process group. A chapter run that way
/// by `workbook run --step` is a background job of the terminal: its first read of the
/// keyboard stops it (SIGTTIN) and the run hangs, and Ctrl-C reaches `workbook` but not the
/// chapter, which runs on alone. `posix_spawn` without `POSIX_SPAWN_SETPGROUP` keeps the
/// child in the foreground group: it reads the terminal, and Ctrl-C stops both.
public enum ForegroundProcess {
    /// Starts `path` with `arguments` (argv[1...]), the same environment, standard input,
    /// output and error, and waits for it to end.
    public static func run(path: String, arguments: [String]) throws(WorkbookError) -> ChapterLauncher.Termination {
        var pid = pid_t()
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var spawned = posix_spawn(&pid, path, nil, nil, argv, environ)
        // "Text file busy": another thread of this process forked while the program file
        // was open for writing (a test that has just written a stand-in script), and the
        // child still holds the descriptor. It clears within milliseconds; retry briefly.
        var attempts = 1
        while spawned == ETXTBSY && attempts < 20 {
            usleep(50_000)
            spawned = posix_spawn(&pid, path, nil, nil, argv, environ)
            attempts += 1
        }
        guard spawned == 0 else {
            throw WorkbookError.cannotLaunch(path: path, reason: String(cString: strerror(spawned)))
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 {
            guard errno == EINTR else {
                throw WorkbookError.cannotLaunch(path: path, reason: "waitpid: " + String(cString: strerror(errno)))
            }
        }
        return termination(fromWaitStatus: status)
    }

    /// Decodes a `waitpid` status: the low 7 bits are the signal that killed the child
    /// (0 if it exited), bits 8…15 its exit status (WIFEXITED, WEXITSTATUS, WTERMSIG).
    public static func termination(fromWaitStatus status: Int32) -> ChapterLauncher.Termination {
        let signal = status & 0x7f
        return signal == 0 ? .exited((status >> 8) & 0xff) : .killed(signal: signal)
    }
}
