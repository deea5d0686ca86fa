// libFuzzer target for the PNG reader (libpng's simplified API): every input must give an
// image or a thrown PNGError; a crash, trap, hang or huge allocation is a bug.
// `make fuzz` builds it with `-sanitize=fuzzer` and runs it.
import CLibFuzzer
import CZlib
import Glibc
import Imaging

/// `bytes` with the CRC-32 of every complete chunk recomputed. libpng rejects a critical
/// chunk whose CRC does not match, so without this nearly every mutation of a header or of
/// the image data would stop at the checksum.
func withChunkChecksumsFixed(_ bytes: [UInt8]) -> [UInt8] {
    var fixed = bytes
    var offset = 8
    while offset + 12 <= fixed.count {
        let length = fixed[offset..<(offset + 4)].reduce(0) { $0 << 8 | Int($1) }
        guard length <= fixed.count - offset - 12 else { break }
        let crc = fixed.withUnsafeBufferPointer { UInt32(crc32(0, $0.baseAddress! + offset + 4, UInt32(4 + length))) }
        for k in 0..<4 { fixed[offset + 8 + length + k] = UInt8(truncatingIfNeeded: crc >> (24 - 8 * k)) }
        offset += 12 + length
    }
    return fixed
}

@_cdecl("LLVMFuzzerTestOneInput")
func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    _ = try? PNGFile.read(from: bytes)
    _ = try? PNGFile.read(from: withChunkChecksumsFixed(bytes))
    return 0
}

var argumentCount = CommandLine.argc
var arguments = Optional(CommandLine.unsafeArgv)
exit(LLVMFuzzerRunDriver(&argumentCount, &arguments, fuzzOneInput))
