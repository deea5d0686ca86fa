/// One pass over an IDX file (or IDX bytes in memory): checks the magic number on opening,
/// then reads the dimensions and the items, checking each size against what the content
/// can hold.
struct IDXReader {
    /// The file's path, or the name given to bytes in memory; every error carries it.
    let path: String
    let limit: Int?
    private let source: ByteSource
    /// The content's size as stored (compressed size for gzip).
    private let fileSize: Int
    /// Bytes of header read so far (magic and dimensions).
    private var headerBytes = 4

    /// Opens the file at `path`, after checking that it is a non-empty regular file.
    init(path: String, expectedMagic: UInt32, limit: Int?) throws(IDXError) {
        if let limit, limit < 0 { throw .invalidLimit(limit) }
        let size: Int
        switch PathKind(path: path) {
        case .missing: throw .fileNotFound(path: path)
        case .directory: throw .isDirectory(path: path)
        case .unusable(let reason): throw .unreadable(path: path, reason: reason)
        case .regularFile(let fileSize): size = fileSize
        }
        try self.init(path: path, size: size, expectedMagic: expectedMagic, limit: limit) { () throws(ByteSourceFailure) in
            try ByteSource(path: path)
        }
    }

    /// Reads `bytes`, naming them `name` in errors.
    init(bytes: [UInt8], name: String, expectedMagic: UInt32, limit: Int?) throws(IDXError) {
        if let limit, limit < 0 { throw .invalidLimit(limit) }
        try self.init(path: name, size: bytes.count, expectedMagic: expectedMagic, limit: limit) { () throws(ByteSourceFailure) in
            try ByteSource(bytes: bytes)
        }
    }

    private init(
        path: String, size: Int, expectedMagic: UInt32, limit: Int?,
        open: () throws(ByteSourceFailure) -> ByteSource
    ) throws(IDXError) {
        guard size > 0 else { throw .emptyFile(path: path) }
        self.path = path
        self.limit = limit
        fileSize = size
        do {
            source = try open()
        } catch {
            throw IDXReader.idxError(error, path: path)
        }
        let magicBytes = try IDXReader.read(4, from: source, path: path, alreadyRead: 0)
        let magic = IDXReader.bigEndian(magicBytes[0..<4])
        guard magic == expectedMagic else {
            switch (magic, expectedMagic) {
            case (IDXFile.labelMagic, IDXFile.imageMagic): throw .labelFileGivenToImageReader(path: path)
            case (IDXFile.imageMagic, IDXFile.labelMagic): throw .imageFileGivenToLabelReader(path: path)
            case _ where magic >> 16 == 0: throw .unsupportedIDXType(path: path, magic: magic, expected: expectedMagic)
            default: throw .notIDX(path: path, magic: magic)
            }
        }
    }

    /// The next `count` dimensions (big-endian unsigned 32-bit integers).
    mutating func readDimensions(count: Int) throws(IDXError) -> [Int] {
        let bytes = try IDXReader.read(4 * count, from: source, path: path, alreadyRead: headerBytes)
        headerBytes += 4 * count
        return (0..<count).map { Int(IDXReader.bigEndian(bytes[(4 * $0)..<(4 * $0 + 4)])) }
    }

    /// The bytes of the first `min(count, limit)` items of `itemBytes` bytes each.
    ///
    /// Before reading, the announced sizes are checked without overflow against the most the
    /// file could hold (its remaining length if raw; `maximumDeflateRatio` times its length
    /// if gzip): a single item larger than that means the header is corrupt; more items
    /// than that means a raw file is truncated (a gzip file cannot hold them either). A gzip
    /// stream is then decompressed to its end, even past the items a limit leaves unread, so
    /// that zlib verifies its checksum and length: a file damaged anywhere is rejected, not
    /// used in part (this costs the decompression of the rest, about 0.1 s per 10 MB).
    func readItems(count: Int, itemBytes: Int, itemDescription: String) throws(IDXError) -> [UInt8] {
        let wanted = min(count, limit ?? count)
        let expanded = fileSize.multipliedReportingOverflow(by: IDXFile.maximumDeflateRatio)
        let capacity = source.isGzip
            ? (expanded.overflow ? Int.max : expanded.partialValue)
            : fileSize - headerBytes
        guard itemBytes <= capacity else {
            throw .absurdDimensions(
                path: path,
                detail: "one \(itemDescription) needs \(itemBytes) bytes, more than the "
                    + "\(fileSize)-byte file can hold")
        }
        let (neededBytes, overflow) = wanted.multipliedReportingOverflow(by: itemBytes)
        guard !overflow else {
            throw .absurdDimensions(
                path: path, detail: "\(count) items of \(itemBytes) bytes overflow any size")
        }
        guard neededBytes <= capacity else {
            if source.isGzip {
                throw .absurdDimensions(
                    path: path,
                    detail: "\(wanted) items of \(itemBytes) bytes are more than a \(fileSize)-byte "
                        + "gzip file can expand to")
            }
            throw .truncated(path: path, neededBytes: headerBytes + neededBytes, availableBytes: fileSize)
        }
        let bytes = try IDXReader.read(neededBytes, from: source, path: path, alreadyRead: headerBytes)
        do {
            try source.verifyToEnd()
        } catch {
            throw IDXReader.idxError(error, path: path)
        }
        return bytes
    }

    /// Exactly `count` bytes from `source`, or `.truncated` saying how many there were.
    private static func read(_ count: Int, from source: ByteSource, path: String, alreadyRead: Int)
        throws(IDXError) -> [UInt8]
    {
        let bytes: [UInt8]
        do {
            bytes = try source.read(upTo: count)
        } catch {
            throw idxError(error, path: path)
        }
        guard bytes.count == count else {
            throw .truncated(
                path: path, neededBytes: alreadyRead + count, availableBytes: alreadyRead + bytes.count)
        }
        return bytes
    }

    private static func bigEndian(_ bytes: ArraySlice<UInt8>) -> UInt32 {
        bytes.reduce(0) { ($0 << 8) | UInt32($1) }
    }

    private static func idxError(_ failure: ByteSourceFailure, path: String) -> IDXError {
        switch failure {
        case .io(let reason): return .unreadable(path: path, reason: reason)
        case .corruptCompression(let message): return .corruptGzip(path: path, message: message)
        }
    }
}
