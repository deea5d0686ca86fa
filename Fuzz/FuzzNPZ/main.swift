// libFuzzer target for the `.npy` and `.npz` readers and the patch-model loader: every
// input must give arrays (or a model) or a thrown error; a crash, trap, hang or huge
// allocation is a bug. `make fuzz` builds it with `-sanitize=fuzzer` and runs it.
import CLibFuzzer
import Glibc
import Mixtures
import NumPyFormat

@_cdecl("LLVMFuzzerTestOneInput")
func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    _ = try? NPYFile.decode(bytes)
    if (try? NPZFile.decode(bytes)) != nil {
        _ = try? PatchModel.decode(bytes)
    }
    return 0
}

var argumentCount = CommandLine.argc
var arguments = Optional(CommandLine.unsafeArgv)
exit(LLVMFuzzerRunDriver(&argumentCount, &arguments, fuzzOneInput))
