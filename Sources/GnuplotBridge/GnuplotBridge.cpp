// The C API of GnuplotBridge.h over gnuplot-iostream's `Gnuplot` stream.
//
// gnuplot-iostream starts gnuplot with popen and discards the exit status on close, so the
// process is started here (posix_spawnp, no shell), and the write end of its input pipe is
// handed to `Gnuplot(FILE *)`, which writes to it and closes it; then waitpid gives the exit
// status. Standard output and error go to an unlinked temporary file, read back at close.

#include "GnuplotBridge.h"

#include <gnuplot-iostream.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <exception>
#include <memory>
#include <string>

#include <fcntl.h>
#include <pthread.h>
#include <spawn.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

struct GnuplotBridgeSession {
    pid_t pid;
    int output_fd;                    // gnuplot's stdout and stderr (an unlinked file)
    std::unique_ptr<Gnuplot> input;   // gnuplot's stdin
};

namespace {

/// Copies `text` into `buffer` (NUL-terminated, truncated to `capacity`).
void copy_message(const std::string &text, char *buffer, size_t capacity) {
    if (buffer == nullptr || capacity == 0) return;
    size_t length = text.size() < capacity - 1 ? text.size() : capacity - 1;
    std::memcpy(buffer, text.data(), length);
    buffer[length] = '\0';
}

GnuplotBridgeStatus fail(GnuplotBridgeStatus status, const std::string &text, char *buffer,
                         size_t capacity) {
    copy_message(text, buffer, capacity);
    return status;
}

std::string errno_text(int error) { return std::strerror(error); }

/// Blocks SIGPIPE in this thread while alive; a SIGPIPE raised meanwhile (a write to a pipe
/// whose reader exited) is consumed on destruction, so the write just fails with EPIPE.
class SigpipeBlock {
public:
    SigpipeBlock() {
        sigemptyset(&pipe_only_);
        sigaddset(&pipe_only_, SIGPIPE);
        pthread_sigmask(SIG_BLOCK, &pipe_only_, &previous_);
        sigset_t pending;
        sigpending(&pending);
        was_pending_ = sigismember(&pending, SIGPIPE) == 1;
    }
    ~SigpipeBlock() {
        if (!was_pending_) {
            const timespec no_wait = {0, 0};
            while (sigtimedwait(&pipe_only_, nullptr, &no_wait) == SIGPIPE) {}
        }
        pthread_sigmask(SIG_SETMASK, &previous_, nullptr);
    }
    SigpipeBlock(const SigpipeBlock &) = delete;
    SigpipeBlock &operator=(const SigpipeBlock &) = delete;

private:
    sigset_t pipe_only_;
    sigset_t previous_;
    bool was_pending_;
};

/// Creates an anonymous (already unlinked) temporary file for gnuplot's output.
int make_output_file(std::string &error) {
    const char *directory = std::getenv("TMPDIR");
    std::string path = std::string(directory && directory[0] ? directory : "/tmp") +
                       "/gnuplot-bridge-XXXXXX";
    int fd = mkostemp(&path[0], O_CLOEXEC);
    if (fd < 0) {
        error = "cannot create a temporary file in " + path + ": " + errno_text(errno);
        return -1;
    }
    unlink(path.c_str());
    return fd;
}

/// Starts `executable` with stdin from `input_fd` and stdout/stderr to `output_fd`.
GnuplotBridgeStatus spawn(const char *executable, int input_fd, int output_fd, pid_t &pid,
                          std::string &error) {
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, input_fd, STDIN_FILENO);
    posix_spawn_file_actions_adddup2(&actions, output_fd, STDOUT_FILENO);
    posix_spawn_file_actions_adddup2(&actions, output_fd, STDERR_FILENO);
    posix_spawnattr_t attributes;
    posix_spawnattr_init(&attributes);
    sigset_t none;
    sigemptyset(&none);
    posix_spawnattr_setsigmask(&attributes, &none);
    posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGMASK);
    char *argv[] = {const_cast<char *>(executable), nullptr};
    int result = posix_spawnp(&pid, executable, &actions, &attributes, argv, environ);
    posix_spawnattr_destroy(&attributes);
    posix_spawn_file_actions_destroy(&actions);
    if (result == ENOENT || result == EACCES || result == ENOEXEC) {
        error = std::string(executable) + " not found (" + errno_text(result) + ")";
        return GNUPLOT_BRIDGE_NOT_FOUND;
    }
    if (result != 0) {
        error = std::string("cannot start ") + executable + ": " + errno_text(result);
        return GNUPLOT_BRIDGE_START_FAILED;
    }
    return GNUPLOT_BRIDGE_OK;
}

/// Writes `size` bytes to gnuplot's input and flushes.
GnuplotBridgeStatus write_bytes(GnuplotBridgeSession *session, const char *bytes, size_t size,
                                bool newline, char *message, size_t capacity) {
    if (session == nullptr || session->input == nullptr)
        return fail(GNUPLOT_BRIDGE_INVALID_ARGUMENT, "no open gnuplot session", message, capacity);
    try {
        SigpipeBlock block;
        Gnuplot &input = *session->input;
        input.write(bytes, static_cast<std::streamsize>(size));
        if (newline) input.put('\n');
        input.flush();
        if (!input)
            return fail(GNUPLOT_BRIDGE_WRITE_FAILED,
                        "cannot write to gnuplot (it has probably exited; see its output)",
                        message, capacity);
        return GNUPLOT_BRIDGE_OK;
    } catch (const std::exception &exception) {
        return fail(GNUPLOT_BRIDGE_WRITE_FAILED,
                    std::string("cannot write to gnuplot: ") + exception.what(), message, capacity);
    } catch (...) {
        return fail(GNUPLOT_BRIDGE_WRITE_FAILED, "cannot write to gnuplot", message, capacity);
    }
}

/// Reads back everything gnuplot printed.
bool read_output(int fd, std::string &text) {
    if (lseek(fd, 0, SEEK_SET) < 0) return false;
    char chunk[4096];
    for (;;) {
        ssize_t count = read(fd, chunk, sizeof chunk);
        if (count < 0 && errno == EINTR) continue;
        if (count < 0) return false;
        if (count == 0) return true;
        text.append(chunk, static_cast<size_t>(count));
    }
}

}  // namespace

extern "C" GnuplotBridgeSession *gnuplot_bridge_open(const char *executable,
                                                     GnuplotBridgeStatus *status, char *message,
                                                     size_t message_capacity) {
    GnuplotBridgeStatus ignored;
    if (status == nullptr) status = &ignored;
    if (executable == nullptr || executable[0] == '\0') {
        *status = fail(GNUPLOT_BRIDGE_INVALID_ARGUMENT, "no gnuplot executable given", message,
                       message_capacity);
        return nullptr;
    }
    int output_fd = -1;
    int pipe_fds[2] = {-1, -1};
    try {
        std::string error;
        output_fd = make_output_file(error);
        if (output_fd < 0) {
            *status = fail(GNUPLOT_BRIDGE_START_FAILED, error, message, message_capacity);
            return nullptr;
        }
        if (pipe2(pipe_fds, O_CLOEXEC) != 0) {
            *status = fail(GNUPLOT_BRIDGE_START_FAILED, "cannot create a pipe: " + errno_text(errno),
                           message, message_capacity);
            close(output_fd);
            return nullptr;
        }
        pid_t pid = 0;
        GnuplotBridgeStatus started = spawn(executable, pipe_fds[0], output_fd, pid, error);
        close(pipe_fds[0]);
        if (started != GNUPLOT_BRIDGE_OK) {
            close(pipe_fds[1]);
            close(output_fd);
            *status = fail(started, error, message, message_capacity);
            return nullptr;
        }
        std::unique_ptr<GnuplotBridgeSession> session(new GnuplotBridgeSession{pid, output_fd, nullptr});
        FILE *input = fdopen(pipe_fds[1], "w");
        if (input == nullptr) {
            close(pipe_fds[1]);
            int exit_status;
            gnuplot_bridge_close(session.release(), &exit_status, nullptr, 0);
            *status = fail(GNUPLOT_BRIDGE_START_FAILED, "cannot open gnuplot's input pipe", message,
                           message_capacity);
            return nullptr;
        }
        try {
            session->input.reset(new Gnuplot(input));  // closes `input` when destroyed
        } catch (...) {
            fclose(input);
            int exit_status;
            gnuplot_bridge_close(session.release(), &exit_status, nullptr, 0);
            throw;
        }
        *status = GNUPLOT_BRIDGE_OK;
        copy_message("", message, message_capacity);
        return session.release();
    } catch (const std::exception &exception) {
        *status = fail(GNUPLOT_BRIDGE_START_FAILED,
                       std::string("cannot start gnuplot: ") + exception.what(), message,
                       message_capacity);
    } catch (...) {
        *status = fail(GNUPLOT_BRIDGE_START_FAILED, "cannot start gnuplot", message, message_capacity);
    }
    return nullptr;
}

extern "C" GnuplotBridgeStatus gnuplot_bridge_command(GnuplotBridgeSession *session,
                                                      const char *command, char *message,
                                                      size_t message_capacity) {
    if (command == nullptr)
        return fail(GNUPLOT_BRIDGE_INVALID_ARGUMENT, "no command given", message, message_capacity);
    return write_bytes(session, command, std::strlen(command), true, message, message_capacity);
}

extern "C" GnuplotBridgeStatus gnuplot_bridge_send_text(GnuplotBridgeSession *session,
                                                        const char *text, char *message,
                                                        size_t message_capacity) {
    if (text == nullptr)
        return fail(GNUPLOT_BRIDGE_INVALID_ARGUMENT, "no text given", message, message_capacity);
    return write_bytes(session, text, std::strlen(text), false, message, message_capacity);
}

extern "C" GnuplotBridgeStatus gnuplot_bridge_send_doubles(GnuplotBridgeSession *session,
                                                           const double *values, size_t count,
                                                           char *message, size_t message_capacity) {
    if (values == nullptr && count > 0)
        return fail(GNUPLOT_BRIDGE_INVALID_ARGUMENT, "no data given", message, message_capacity);
    return write_bytes(session, reinterpret_cast<const char *>(values), count * sizeof(double),
                       false, message, message_capacity);
}

extern "C" GnuplotBridgeStatus gnuplot_bridge_close(GnuplotBridgeSession *session, int *exit_status,
                                                    char *output, size_t output_capacity) {
    int ignored;
    if (exit_status == nullptr) exit_status = &ignored;
    *exit_status = -1;
    if (session == nullptr)
        return fail(GNUPLOT_BRIDGE_INVALID_ARGUMENT, "no open gnuplot session", output,
                    output_capacity);
    std::unique_ptr<GnuplotBridgeSession> owned(session);
    GnuplotBridgeStatus result = GNUPLOT_BRIDGE_OK;
    std::string problem;
    try {
        SigpipeBlock block;
        owned->input.reset();  // flushes and closes the pipe: gnuplot reads end of file
    } catch (const std::exception &exception) {
        problem = std::string("closing gnuplot's input failed: ") + exception.what() + "\n";
    } catch (...) {
        problem = "closing gnuplot's input failed\n";
    }
    int wait_status = 0;
    pid_t waited;
    do {
        waited = waitpid(owned->pid, &wait_status, 0);
    } while (waited < 0 && errno == EINTR);
    if (waited < 0) {
        result = GNUPLOT_BRIDGE_CLOSE_FAILED;
        problem += "cannot wait for gnuplot: " + errno_text(errno) + "\n";
    } else if (WIFEXITED(wait_status)) {
        *exit_status = WEXITSTATUS(wait_status);
    } else if (WIFSIGNALED(wait_status)) {
        *exit_status = 128 + WTERMSIG(wait_status);
    }
    std::string text;
    try {
        if (!read_output(owned->output_fd, text)) {
            result = GNUPLOT_BRIDGE_CLOSE_FAILED;
            problem += "cannot read gnuplot's output: " + errno_text(errno) + "\n";
        }
    } catch (...) {
        result = GNUPLOT_BRIDGE_CLOSE_FAILED;
        problem += "cannot read gnuplot's output\n";
    }
    close(owned->output_fd);
    copy_message(problem + text, output, output_capacity);
    return result;
}
