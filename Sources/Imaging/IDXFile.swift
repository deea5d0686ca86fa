/// Reading and writing the IDX format of the MNIST database, plain or gzip-compressed.
///
/// An IDX file is a big-endian header followed by raw data. Image files start with the magic
/// number 2051 (0x00000803: unsigned bytes, three dimensions), then the image count, the
/// rows and the columns as 32-bit integers, then every image's pixels row by row, one byte
/// each. Label files start with 2049 (0x00000801: unsigned bytes, one dimension), then the
/// count, then one byte per label. A file whose first two bytes are 1f 8b is gzip and is
/// decompressed on the fly with zlib; only as much of it is decompressed as the request
/// needs, so `limit` makes reading the first images of the 60,000-image MNIST file cheap.
public enum IDXFile {
    /// Magic number of an IDX image file (unsigned bytes, rank 3).
    public static let imageMagic: UInt32 = 2051
    /// Magic number of an IDX label file (unsigned bytes, rank 1).
    public static let labelMagic: UInt32 = 2049
    /// Deflate never expands data by more than about 1032 : 1, so a gzip file of n bytes
    /// cannot hold more than this many times n bytes of content.
    static let maximumDeflateRatio = 1032

    /// Reads gray images from an IDX image file.
    ///
    /// - Parameters:
    ///   - path: the file, raw or gzip-compressed (detected by its content, not its name).
    ///   - limit: read only the first `limit` images (all when nil).
    /// - Returns: `count` images of `columns x rows` gray pixels with values 0...255
    ///   (the bytes as they are, converted to `Double`).
    /// - Throws: `IDXError` naming the file: missing, directory, empty, not IDX, a label file,
    ///   absurd dimensions, truncated, corrupt gzip.
    public static func readImages(at path: String, limit: Int? = nil) throws(IDXError) -> [Image] {
        var reader = try IDXReader(path: path, expectedMagic: imageMagic, limit: limit)
        return try readImages(with: &reader)
    }

    /// Reads gray images from the bytes of an IDX image file (raw or gzip-compressed), as
    /// `readImages(at:limit:)` does; errors name the bytes `name`.
    public static func readImages(from bytes: [UInt8], name: String = inMemoryName, limit: Int? = nil)
        throws(IDXError) -> [Image]
    {
        var reader = try IDXReader(bytes: bytes, name: name, expectedMagic: imageMagic, limit: limit)
        return try readImages(with: &reader)
    }

    /// Reads labels from an IDX label file: one integer 0...255 per item (0...9 for MNIST).
    /// `limit` as for `readImages(at:limit:)`.
    public static func readLabels(at path: String, limit: Int? = nil) throws(IDXError) -> [Int] {
        var reader = try IDXReader(path: path, expectedMagic: labelMagic, limit: limit)
        return try readLabels(with: &reader)
    }

    /// Reads labels from the bytes of an IDX label file (raw or gzip-compressed), as
    /// `readLabels(at:limit:)` does; errors name the bytes `name`.
    public static func readLabels(from bytes: [UInt8], name: String = inMemoryName, limit: Int? = nil)
        throws(IDXError) -> [Int]
    {
        var reader = try IDXReader(bytes: bytes, name: name, expectedMagic: labelMagic, limit: limit)
        return try readLabels(with: &reader)
    }

    /// What errors call IDX bytes that were given no name.
    public static let inMemoryName = "<IDX bytes in memory>"

    private static func readImages(with reader: inout IDXReader) throws(IDXError) -> [Image] {
        let dimensions = try reader.readDimensions(count: 3)
        let (count, rows, columns) = (dimensions[0], dimensions[1], dimensions[2])
        let (pixelsPerImage, overflow) = rows.multipliedReportingOverflow(by: columns)
        guard rows >= 1, columns >= 1, !overflow else {
            throw .absurdDimensions(path: reader.path, detail: "images of \(rows) x \(columns) pixels")
        }
        let bytes = try reader.readItems(
            count: count, itemBytes: pixelsPerImage, itemDescription: "\(rows) x \(columns) image")
        return (0..<(bytes.count / pixelsPerImage)).map { index in
            let start = index * pixelsPerImage
            let pixels = bytes[start..<(start + pixelsPerImage)].map { Double($0) }
            return Image(unchecked: columns, rows, 1, pixels)
        }
    }

    private static func readLabels(with reader: inout IDXReader) throws(IDXError) -> [Int] {
        let count = try reader.readDimensions(count: 1)[0]
        let bytes = try reader.readItems(count: count, itemBytes: 1, itemDescription: "label")
        return bytes.map { Int($0) }
    }

    /// Reads an image file and its label file together, checking that they hold the same
    /// number of items (only the first `limit` of each when a limit is given).
    public static func readLabelledImages(
        imagesAt imagesPath: String, labelsAt labelsPath: String, limit: Int? = nil
    ) throws(IDXError) -> (images: [Image], labels: [Int]) {
        let images = try readImages(at: imagesPath, limit: limit)
        let labels = try readLabels(at: labelsPath, limit: limit)
        guard images.count == labels.count else {
            throw .countMismatch(
                imagesPath: imagesPath, images: images.count, labelsPath: labelsPath, labels: labels.count)
        }
        return (images, labels)
    }

    /// Writes gray images as an IDX image file (magic 2051), atomically.
    ///
    /// Each value is rounded to the nearest integer and clipped to 0...255, so images on the
    /// MNIST scale round-trip exactly. The images must be gray, all of one size, at least
    /// one, with finite values.
    /// - Parameter gzip: compress with gzip; when nil, compress if `path` ends in ".gz".
    public static func writeImages(_ images: [Image], to path: String, gzip: Bool? = nil) throws(IDXError) {
        guard let first = images.first else {
            throw .unwritableData(path: path, detail: "no images to write (the size would be unknown)")
        }
        var bytes = header(magic: imageMagic, dimensions: [images.count, first.height, first.width])
        bytes.reserveCapacity(bytes.count + images.count * first.pixelCount)
        for (index, image) in images.enumerated() {
            guard image.isGray, image.width == first.width, image.height == first.height else {
                throw .unwritableData(
                    path: path,
                    detail: "image \(index) is \(image.shapeDescription), expected \(first.shapeDescription)")
            }
            guard image.hasOnlyFinitePixels else {
                throw .unwritableData(path: path, detail: "image \(index) has NaN or infinite pixels")
            }
            bytes.append(contentsOf: image.pixels.map { UInt8(min(max($0.rounded(), 0), 255)) })
        }
        try write(bytes, to: path, gzip: gzip ?? path.hasSuffix(".gz"))
    }

    /// Writes labels (each 0...255) as an IDX label file (magic 2049), atomically.
    /// - Parameter gzip: compress with gzip; when nil, compress if `path` ends in ".gz".
    public static func writeLabels(_ labels: [Int], to path: String, gzip: Bool? = nil) throws(IDXError) {
        var bytes = header(magic: labelMagic, dimensions: [labels.count])
        for (index, label) in labels.enumerated() {
            guard (0...255).contains(label) else {
                throw .unwritableData(path: path, detail: "label \(index) is \(label), outside 0...255")
            }
            bytes.append(UInt8(label))
        }
        try write(bytes, to: path, gzip: gzip ?? path.hasSuffix(".gz"))
    }

    /// The magic number and dimensions as big-endian 32-bit integers.
    private static func header(magic: UInt32, dimensions: [Int]) -> [UInt8] {
        ([Int(magic)] + dimensions).flatMap { value in
            (0..<4).reversed().map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
        }
    }

    private static func write(_ bytes: [UInt8], to path: String, gzip: Bool) throws(IDXError) {
        do {
            try writeBytesAtomically(gzip ? gzipCompress(bytes) : bytes, to: path)
        } catch {
            throw .writeFailed(path: path, reason: error.message)
        }
    }
}
