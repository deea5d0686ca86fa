// libFuzzer target for the PNG reader (libpng's simplified API): every input must give an
// image or a thrown PNGError; a crash, trap, hang or huge allocation is a bug.
// `make fuzz` builds it with `-sanitize=fuzzer` and runs it.
import CLibFuzzer
import Glibc
import Imaging

@_cdecl("LLVMFuzzerTestOneInput")
func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    _ = try? PNGFile.read(from: bytes)
    return 0
}

var argumentCount = CommandLine.argc
var arguments = Optional(CommandLine.unsafeArgv)
exit(LLVMFuzzerRunDriver(&argumentCount, &arguments, fuzzOneInput))
