// libFuzzer target for the IDX reader (raw and gzip): every input must give images,
// labels or a thrown IDXError; a crash, trap, hang or huge allocation is a bug.
// `make fuzz` builds it with `-sanitize=fuzzer` and runs it.
import CLibFuzzer
import CZlib
import Glibc
import Imaging

/// `bytes` compressed into the gzip format by zlib (deflate with windowBits 15 + 16), so
/// that every input is also read through the decompressing path: mutations of gzip data
/// itself mostly break the stream or its CRC before the IDX header is reached.
func gzipped(_ bytes: [UInt8]) -> [UInt8] {
    // zlib keeps the stream's address: give it a fixed one.
    let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
    stream.initialize(to: z_stream())
    defer { stream.deallocate() }
    guard deflateInit2_(stream, Z_BEST_SPEED, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY,
                        zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else { return [] }
    defer { deflateEnd(stream) }
    var input = bytes
    var output = [UInt8](repeating: 0, count: Int(deflateBound(stream, UInt(bytes.count))) + 32)
    let status = input.withUnsafeMutableBufferPointer { inputBuffer in
        output.withUnsafeMutableBufferPointer { outputBuffer in
            stream.pointee.next_in = inputBuffer.baseAddress
            stream.pointee.avail_in = UInt32(inputBuffer.count)
            stream.pointee.next_out = outputBuffer.baseAddress
            stream.pointee.avail_out = UInt32(outputBuffer.count)
            return deflate(stream, Z_FINISH)
        }
    }
    guard status == Z_STREAM_END else { return [] }
    output.removeLast(Int(stream.pointee.avail_out))
    return output
}

@_cdecl("LLVMFuzzerTestOneInput")
func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    for content in [bytes, gzipped(bytes)] {
        _ = try? IDXFile.readImages(from: content)
        _ = try? IDXFile.readImages(from: content, limit: 1)
        _ = try? IDXFile.readLabels(from: content)
    }
    return 0
}

var argumentCount = CommandLine.argc
var arguments = Optional(CommandLine.unsafeArgv)
exit(LLVMFuzzerRunDriver(&argumentCount, &arguments, fuzzOneInput))
