/// The chunk structure of a PNG file, checked before libpng reads it.
///
/// After the 8-byte signature a PNG file is a sequence of chunks: a big-endian 32-bit data
/// length n, a 4-byte type, n bytes of data and a 4-byte CRC, 12 + n bytes in all, ending
/// with the IEND chunk. libpng allocates a buffer of n bytes for many chunk types before it
/// reads their data, so a few bytes declaring a huge chunk would make it allocate up to
/// 2 GiB. Every chunk is therefore checked to fit in the bytes there are.
extension PNGFile {
    /// A chunk that runs past the end of the data.
    struct IncompleteChunk: Equatable {
        /// Where the chunk starts (its length field).
        var offset: Int
        /// Its type, when the 8-byte chunk header is there.
        var type: String?
        /// The chunk's size (12 + n), or 8 when not even its header is complete.
        var needed: Int
        /// The bytes from `offset` to the end.
        var available: Int
    }

    /// The first chunk from the signature up to IEND that does not fit in `bytes` (which
    /// start with the signature), or nil when they all fit.
    static func firstIncompleteChunk(in bytes: UnsafeRawBufferPointer) -> IncompleteChunk? {
        var offset = signature.count
        while offset < bytes.count {
            let available = bytes.count - offset
            guard available >= 8 else {
                return IncompleteChunk(offset: offset, type: nil, needed: 8, available: available)
            }
            let length = bytes[offset..<(offset + 4)].reduce(0) { $0 << 8 | Int($1) }
            let type = String(decoding: bytes[(offset + 4)..<(offset + 8)], as: UTF8.self)
            let needed = 12 + length
            guard needed <= available else {
                return IncompleteChunk(offset: offset, type: type, needed: needed, available: available)
            }
            if type == "IEND" { return nil }
            offset += needed
        }
        return nil
    }
}
