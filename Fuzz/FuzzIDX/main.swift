// libFuzzer target for the IDX reader (raw and gzip): every input must give images,
// labels or a thrown IDXError; a crash, trap, hang or huge allocation is a bug.
// `make fuzz` builds it with `-sanitize=fuzzer` and runs it.
import CLibFuzzer
import Glibc
import Imaging

@_cdecl("LLVMFuzzerTestOneInput")
func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    // Every input is also read through the decompressing path: mutations of gzip data itself
    // mostly break the stream or its CRC before the IDX header is reached.
    for content in [bytes, (try? gzipCompress(bytes)) ?? []] {
        _ = try? IDXFile.readImages(from: content)
        _ = try? IDXFile.readImages(from: content, limit: 1)
        _ = try? IDXFile.readLabels(from: content)
    }
    return 0
}

var argumentCount = CommandLine.argc
var arguments = Optional(CommandLine.unsafeArgv)
exit(LLVMFuzzerRunDriver(&argumentCount, &arguments, fuzzOneInput))
