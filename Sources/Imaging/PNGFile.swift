import CPNG

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reading and writing PNG files through libpng's simplified API (`png_image`).
///
/// **Values.** The reader returns pixels on the scale [0, 1]: an 8-bit sample s becomes
/// s / 255, a 16-bit sample s becomes s / 65535. It asks libpng for the file's own bit depth
/// and encoding (read from `format` after `png_image_begin_read_from_memory`: 8-bit data is
/// sRGB-encoded, 16-bit data linear in libpng's terms), so no gamma conversion happens and
/// the stored samples come out unchanged; in particular a picture stored as 8-bit and as
/// 16-bit with samples v·257 reads to identical values. Palette images are expanded to
/// their colours; gray files of 1, 2 or 4 bits are scaled up to 8 bits by libpng.
///
/// **Alpha** is never composited on a background: `read` drops it, `readWithAlpha` returns it
/// as a one-channel image beside the colours, and `write(_:alpha:to:bitDepth:)` stores it
/// (PNGFile+Alpha.swift). Alpha itself is stored and read exactly at both depths. 8-bit colour
/// with alpha is not premultiplied by libpng and comes out exact. 16-bit colour with alpha
/// (libpng's linear format) is premultiplied on both sides: libpng hands colour back as
/// p = round(C·A / 65535) for colour level C and alpha level A, which the reader divides by A
/// again, and expects it premultiplied on writing, which the writer does (libpng divides by
/// A again before storing). p has only A + 1 values, so 16-bit colour under alpha A comes
/// back only to within about half a step of 65535 / A: a round trip through this writer and
/// reader is within (65535 / (2A) + 2.5) / 65535 on [0, 1] (derived in PNGAlphaTests.swift),
/// exact when A = 65535. The colour of a fully transparent pixel (A = 0) is lost: libpng
/// stores 65535 there and the reader returns 0.
///
/// **Limit.** Files whose gAMA chunk disagrees with their bit depth (an 8-bit file declaring
/// a gamma far from sRGB's, a 16-bit file declaring a non-linear gamma) are converted by
/// libpng to sRGB (8-bit) or linear (16-bit) values; the simplified API offers no way out.
/// Files without gamma information, and all files this writer produces, are unaffected.
public enum PNGFile {
    /// The channels the reader returns.
    public enum ColorMode: Sendable, Equatable {
        /// One channel; colour files converted with the BT.601 weights (by `Image.gray()`,
        /// not by libpng).
        case gray
        /// Three channels; gray files replicated into R = G = B.
        case rgb
        /// Gray for gray files, RGB for colour and palette files.
        case native
    }

    /// Sample size of a written file.
    public enum BitDepth: Int, Sendable, Equatable {
        case eight = 8
        case sixteen = 16
    }

    /// The eight bytes every PNG file starts with.
    static let signature: [UInt8] = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]

    /// Reads a PNG file into an image with values in [0, 1].
    /// - Throws: `PNGError` naming the file: missing, a directory, not a PNG, truncated (a
    ///   chunk running past the end), corrupt (with libpng's message), or a header
    ///   announcing more pixels than the file could hold.
    public static func read(_ path: String, as mode: ColorMode = .native) throws(PNGError) -> Image {
        try read(from: fileBytes(path), name: path, as: mode)
    }

    /// The bit depth of PNG bytes libpng decoded: 16 for 16-bit samples, 8 for all others. Such
    /// bytes start with the signature and the IHDR chunk: length (4 bytes), "IHDR", width (4),
    /// height (4), then the bit depth at byte 24.
    static func bitDepth(ofDecoded bytes: [UInt8]) -> BitDepth {
        bytes[24] == 16 ? .sixteen : .eight
    }

    /// The bytes of the file at `path`, or an error naming it.
    static func fileBytes(_ path: String) throws(PNGError) -> [UInt8] {
        switch PathKind(path: path) {
        case .missing: throw .fileNotFound(path: path)
        case .directory: throw .isDirectory(path: path)
        case .unusable(let reason): throw .unreadable(path: path, reason: reason)
        case .regularFile: break
        }
        do {
            return try readWholeFile(path)
        } catch {
            throw .unreadable(path: path, reason: error.reason)
        }
    }

    /// What errors call PNG bytes that were given no name.
    public static let inMemoryName = "<PNG bytes in memory>"

    /// Reads the bytes of a PNG file into an image with values in [0, 1], as
    /// `read(_:as:)` does; errors name the bytes `name`.
    public static func read(from bytes: [UInt8], name: String = inMemoryName, as mode: ColorMode = .native)
        throws(PNGError) -> Image
    {
        try picture(from: bytes, name: name, as: mode, keepingAlpha: false).image
    }

    /// The colour channels of PNG bytes in `mode`, and their alpha channel when `keepingAlpha`
    /// and the file has one; errors name the bytes `name`.
    static func picture(from bytes: [UInt8], name: String, as mode: ColorMode, keepingAlpha: Bool)
        throws(PNGError) -> (image: Image, alpha: Image?)
    {
        guard bytes.starts(with: signature) else {
            if let format = otherImageFormat(bytes) { throw .otherImageFormat(path: name, format: format) }
            throw .notPNG(path: name)
        }
        let (image, alpha) = try bytes.withUnsafeBytes { memory in
            Result { () throws(PNGError) in
                if let chunk = firstIncompleteChunk(in: memory) {
                    throw .truncated(
                        path: name, offset: chunk.offset, chunk: chunk.type, needed: chunk.needed,
                        available: chunk.available)
                }
                return try decode(memory, name: name, keepingAlpha: keepingAlpha)
            }
        }.get()
        switch mode {
        case .native: return (image, alpha)
        case .gray: return (image.gray(), alpha)
        case .rgb: return (image.rgb(), alpha)
        }
    }

    /// The image format whose signature `bytes` start with, for the common ones that are
    /// not PNG: JPEG (FF D8 FF), GIF ("GIF87a", "GIF89a"), TIFF ("II*\0", "MM\0*"), BMP
    /// ("BM") and WebP ("RIFF", 4 bytes, "WEBP").
    static func otherImageFormat(_ bytes: [UInt8]) -> String? {
        func starts(_ prefix: [UInt8], at offset: Int = 0) -> Bool {
            bytes.count >= offset + prefix.count && Array(bytes[offset..<(offset + prefix.count)]) == prefix
        }
        if starts([0xFF, 0xD8, 0xFF]) { return "JPEG" }
        if starts(Array("GIF87a".utf8)) || starts(Array("GIF89a".utf8)) { return "GIF" }
        if starts([0x49, 0x49, 0x2A, 0x00]) || starts([0x4D, 0x4D, 0x00, 0x2A]) { return "TIFF" }
        if starts(Array("RIFF".utf8)) && starts(Array("WEBP".utf8), at: 8) { return "WebP" }
        if starts(Array("BM".utf8)) { return "BMP" }
        return nil
    }

    /// A zeroed `png_image` of the current version for libpng's simplified API. libpng keeps
    /// its address (its error handler writes into it), so it lives at a fixed allocation;
    /// `release` frees libpng's state and the allocation.
    private static func newImageStructure() -> UnsafeMutablePointer<png_image> {
        let png = UnsafeMutablePointer<png_image>.allocate(capacity: 1)
        png.initialize(to: png_image())
        png.pointee.version = UInt32(PNG_IMAGE_VERSION)
        return png
    }

    private static func release(_ png: UnsafeMutablePointer<png_image>) {
        png_image_free(png)
        png.deallocate()
    }

    /// Decodes PNG bytes (which start with the signature) in the file's own colour channels,
    /// with the alpha channel as a gray image when `keepingAlpha` and the file has one.
    private static func decode(_ memory: UnsafeRawBufferPointer, name path: String, keepingAlpha: Bool)
        throws(PNGError) -> (image: Image, alpha: Image?)
    {
        let png = newImageStructure()
        defer { release(png) }
        guard png_image_begin_read_from_memory(png, memory.baseAddress, memory.count) != 0 else {
            throw .decodingFailed(path: path, message: message(of: png))
        }

        let fileFormat = png.pointee.format
        let isSixteenBit = fileFormat & PNG_FORMAT_FLAG_LINEAR != 0
        let isColour = fileFormat & PNG_FORMAT_FLAG_COLOR != 0
        let hasAlpha = fileFormat & PNG_FORMAT_FLAG_ALPHA != 0
        // Same bit depth, colour and alpha as the file; palettes expanded (no COLORMAP flag).
        png.pointee.format = fileFormat & (PNG_FORMAT_FLAG_LINEAR | PNG_FORMAT_FLAG_COLOR | PNG_FORMAT_FLAG_ALPHA)

        let width = Int(png.pointee.width)
        let height = Int(png.pointee.height)
        // Every pixel takes at least b bits of inflated data (b = 1 for palette indices and
        // gray of up to 8 bits, 16 for 16-bit gray, 24 or 48 for RGB of 8 or 16 bits), and
        // deflate expands at most about 1032 : 1, so n bytes hold at most 8 * 1032 * n / b
        // pixels. Checked before the pixel buffer is allocated.
        let isPalette = fileFormat & PNG_FORMAT_FLAG_COLORMAP != 0
        let minimumBitsPerPixel = isPalette ? 1 : isColour ? (isSixteenBit ? 48 : 24) : (isSixteenBit ? 16 : 1)
        let (pixelCount, overflow) = width.multipliedReportingOverflow(by: height)
        guard !overflow, pixelCount <= 8 * 1032 * memory.count / minimumBitsPerPixel else {
            throw .implausibleSize(path: path, width: width, height: height)
        }
        let colourChannels = isColour ? 3 : 1
        let bufferChannels = colourChannels + (hasAlpha ? 1 : 0)
        let keptChannels = colourChannels + (hasAlpha && keepingAlpha ? 1 : 0)
        do {
            // The decoded samples (up to 2 bytes each) and the images' Doubles.
            try requireMemory(for: pixelCount, of: 2 * bufferChannels + 8 * keptChannels,
                              what: "decoding its \(width)x\(height) pixels")
        } catch {
            throw .tooLarge(path: path, reason: error.description)
        }

        let samples: (colour: [Double], alpha: [Double]?)
        if isSixteenBit {
            var buffer = [UInt16](repeating: 0, count: pixelCount * bufferChannels)
            let ok = buffer.withUnsafeMutableBytes { png_image_finish_read(png, nil, $0.baseAddress, 0, nil) }
            guard ok != 0 else { throw .decodingFailed(path: path, message: message(of: png)) }
            samples = separatedSamples(
                buffer, colourChannels: colourChannels, hasAlpha: hasAlpha, premultiplied: true, maximum: 65535,
                keepingAlpha: keepingAlpha)
        } else {
            var buffer = [UInt8](repeating: 0, count: pixelCount * bufferChannels)
            let ok = buffer.withUnsafeMutableBytes { png_image_finish_read(png, nil, $0.baseAddress, 0, nil) }
            guard ok != 0 else { throw .decodingFailed(path: path, message: message(of: png)) }
            samples = separatedSamples(
                buffer, colourChannels: colourChannels, hasAlpha: hasAlpha, premultiplied: false, maximum: 255,
                keepingAlpha: keepingAlpha)
        }
        return (Image(unchecked: width, height, colourChannels, samples.colour),
                samples.alpha.map { Image(unchecked: width, height, 1, $0) })
    }

    /// Writes an image with values in [0, 1] as an 8-bit (or 16-bit) gray or RGB PNG,
    /// atomically, with an alpha channel when `alpha` (a gray image of the same width and
    /// height, 0 transparent, 1 opaque) is given. Each value v is clipped to [0, 1] and stored
    /// as round(v * 255) (or round(v * 65535)). 16-bit files are written as linear data,
    /// which this reader returns unchanged (colour under alpha: see the type's note on
    /// alpha). Non-finite values and an alpha channel of another shape are an error.
    public static func write(_ image: Image, alpha: Image? = nil, to path: String, bitDepth: BitDepth = .eight)
        throws(PNGError)
    {
        guard image.hasOnlyFinitePixels else {
            throw .unwritableImage(path: path, detail: "the \(image.shapeDescription) image has NaN or infinite pixels")
        }
        if let alpha { try requireAlpha(alpha, fitting: image, path: path) }
        guard let width = UInt32(exactly: image.width), let height = UInt32(exactly: image.height) else {
            throw .unwritableImage(path: path, detail: "\(image.shapeDescription) is too large for PNG")
        }
        let levels = sampleLevels(image, alpha: alpha, bitDepth: bitDepth)
        let hasAlpha = alpha != nil
        do {
            let encoded = bitDepth == .sixteen
                ? try encode(levels.map { UInt16($0) }, width: width, height: height, gray: image.isGray, alpha: hasAlpha)
                : try encode(levels.map { UInt8($0) }, width: width, height: height, gray: image.isGray, alpha: hasAlpha)
            try writeBytesAtomically(encoded, to: path)
        } catch {
            throw .writeFailed(path: path, reason: error.message)
        }
    }

    /// The PNG file of `samples` (row-major, channels interleaved, alpha last when `alpha`;
    /// 16-bit for UInt16, its colour premultiplied by alpha), encoded in memory by libpng, so
    /// that writing it to disk reports the system's own reason for a failure (such as "No
    /// space left on device").
    private static func encode<Sample: FixedWidthInteger>(
        _ samples: [Sample], width: UInt32, height: UInt32, gray: Bool, alpha: Bool
    ) throws(FileWriteFailure) -> [UInt8] {
        let sixteenBit = Sample.bitWidth == 16
        let png = newImageStructure()
        defer { release(png) }
        png.pointee.width = width
        png.pointee.height = height
        png.pointee.format = (gray ? UInt32(PNG_FORMAT_GRAY) : UInt32(PNG_FORMAT_RGB))
            | (sixteenBit ? PNG_FORMAT_FLAG_LINEAR : 0) | (alpha ? PNG_FORMAT_FLAG_ALPHA : 0)
        // The first call measures the file, the second writes it.
        var size = 0
        guard samples.withUnsafeBytes({ png_image_write_to_memory(png, nil, &size, 0, $0.baseAddress, 0, nil) }) != 0 else {
            throw FileWriteFailure(message: "libpng says \"\(message(of: png))\"")
        }
        var bytes = [UInt8](repeating: 0, count: size)
        let written = bytes.withUnsafeMutableBytes { file in
            samples.withUnsafeBytes { png_image_write_to_memory(png, file.baseAddress, &size, 0, $0.baseAddress, 0, nil) }
        }
        guard written != 0 else {
            throw FileWriteFailure(message: "libpng says \"\(message(of: png))\"")
        }
        return Array(bytes.prefix(size))
    }

    /// libpng's message from the last failed call.
    private static func message(of png: UnsafeMutablePointer<png_image>) -> String {
        withUnsafeBytes(of: png.pointee.message) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
    }
}
