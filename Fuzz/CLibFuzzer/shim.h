// libFuzzer's driver entry point (LLVM's FuzzerInterface.h). No library to link: building
// with `-sanitize=fuzzer` links libFuzzer into the executable.
#include <stddef.h>
#include <stdint.h>

/// Runs libFuzzer with the command line `argc`, `argv`, calling `callback` on every input;
/// returns the process exit status.
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));
