import Imaging
import Testing

/// Inputs found by the fuzzers in Fuzz/ (`make fuzz`) that crashed a reader or made it
/// allocate absurdly; each must now be a clear error naming the input.
@Suite struct PNGFuzzFindings {
    /// A valid 5 x 4 RGB header, then an eXIf chunk declaring 1,231,975,499 bytes ("IntK")
    /// with 3 bytes of data: libpng allocated the declared size (1.2 GB) before reading.
    @Test func chunkDeclaringMoreBytesThanTheFileHolds() {
        let bytes: [UInt8] = [
            0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
            0x00, 0x00, 0x00, 0x05, 0x00, 0x00, 0x00, 0x04, 0x08, 0x02, 0x00, 0x00, 0x00, 0xc9, 0x51, 0x62,
            0x17, 0x49, 0x6e, 0x74, 0x4b, 0x65, 0x58, 0x49, 0x66, 0x49, 0x44, 0x41, 0x54, 0x78, 0x28, 0x82,
        ]
        #expect(throws: PNGError.truncated(path: "finding", offset: 33, chunk: "eXIf", needed: 1_231_975_511, available: 15)) {
            try PNGFile.read(from: bytes, name: "finding")
        }
        #expect(PNGError.truncated(path: "finding", offset: 33, chunk: "eXIf", needed: 1_231_975_511, available: 15)
            .description == "PNG file 'finding' is truncated: the \"eXIf\" chunk at byte 33 needs 1231975511 bytes "
            + "but only 15 remain")
    }
}
