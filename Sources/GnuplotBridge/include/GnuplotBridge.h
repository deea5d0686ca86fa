// GnuplotBridge: a small C API over gnuplot-iostream, so Swift can drive a gnuplot process.
//
// A session is one gnuplot process whose standard input is a pipe we write to (through a
// gnuplot-iostream `Gnuplot` stream) and whose standard output and standard error go to an
// anonymous temporary file, returned as text when the session is closed. Usage:
//
//     GnuplotBridgeStatus status;
//     char message[1024];
//     GnuplotBridgeSession *s = gnuplot_bridge_open("gnuplot", &status, message, sizeof message);
//     if (!s) { /* status says why (GNUPLOT_BRIDGE_NOT_FOUND: not installed), message explains */ }
//     gnuplot_bridge_command(s, "plot '-' binary array=(3) format='%float64' with lines", ...);
//     gnuplot_bridge_send_doubles(s, values, 3, ...);
//     int exit_status; char output[4096];
//     gnuplot_bridge_close(s, &exit_status, output, sizeof output);  // frees s
//
// gnuplot reading from a pipe exits with status 1 after an error, so a failed plot shows as a
// non-zero exit status, with gnuplot's own message in `output`.
//
// Every function catches all C++ exceptions and reports them as a status and message; none
// escapes. Messages are NUL-terminated and truncated to the capacity given (which may be 0).
// A broken pipe (gnuplot exited early) is reported as GNUPLOT_BRIDGE_WRITE_FAILED; SIGPIPE is
// blocked in the calling thread while writing, so it never kills the caller.
// A session must be used from one thread at a time.

#ifndef GNUPLOT_BRIDGE_H
#define GNUPLOT_BRIDGE_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/// What happened in a bridge call.
typedef enum GnuplotBridgeStatus {
    GNUPLOT_BRIDGE_OK = 0,
    /// The executable was not found on PATH, or is not executable.
    GNUPLOT_BRIDGE_NOT_FOUND = 1,
    /// The process could not be started (pipe, temporary file or spawn failed).
    GNUPLOT_BRIDGE_START_FAILED = 2,
    /// Writing to gnuplot failed: it has most likely exited (see its output at close).
    GNUPLOT_BRIDGE_WRITE_FAILED = 3,
    /// Waiting for the process or reading its output failed.
    GNUPLOT_BRIDGE_CLOSE_FAILED = 4,
    /// A NULL session, text or data pointer was passed.
    GNUPLOT_BRIDGE_INVALID_ARGUMENT = 5
} GnuplotBridgeStatus;

/// An open gnuplot process (opaque).
typedef struct GnuplotBridgeSession GnuplotBridgeSession;

/// Starts `executable` (a path, or a name searched on PATH, e.g. "gnuplot") with no arguments.
/// Returns the session, or NULL with `*status` and `message` saying why.
GnuplotBridgeSession *gnuplot_bridge_open(const char *executable, GnuplotBridgeStatus *status,
                                          char *message, size_t message_capacity);

/// Sends one command line; a newline is appended.
GnuplotBridgeStatus gnuplot_bridge_command(GnuplotBridgeSession *session, const char *command,
                                           char *message, size_t message_capacity);

/// Sends text as is (e.g. inline data lines followed by "e\n", or a datablock).
GnuplotBridgeStatus gnuplot_bridge_send_text(GnuplotBridgeSession *session, const char *text,
                                             char *message, size_t message_capacity);

/// Sends `count` doubles as raw native-endian float64 bytes, the data of a preceding
/// `plot '-' binary ... format='%float64'` (or `array=(w,h)` for a w x h row-major matrix).
GnuplotBridgeStatus gnuplot_bridge_send_doubles(GnuplotBridgeSession *session, const double *values,
                                                size_t count, char *message, size_t message_capacity);

/// Closes gnuplot's input, waits for it to exit and frees the session (always, even on error).
/// `*exit_status` is gnuplot's exit status (128 + signal number if it was killed by a signal);
/// `output` receives what gnuplot printed on standard output and standard error.
GnuplotBridgeStatus gnuplot_bridge_close(GnuplotBridgeSession *session, int *exit_status,
                                         char *output, size_t output_capacity);

#ifdef __cplusplus
}
#endif

#endif  // GNUPLOT_BRIDGE_H
