import Foundation
import Imaging
import Testing

/// The files of the fuzzing corpus `Fuzz/corpus/<kind>/`, found from this source file's
/// location (Tests/ImagingTests/InMemoryReadingTests.swift), with their paths.
func fuzzCorpus(_ kind: String) throws -> [String] {
    let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fuzz/corpus/\(kind)").path
    return try FileManager.default.contentsOfDirectory(atPath: directory).sorted().map { directory + "/" + $0 }
}

/// The byte-buffer readers give what the path readers give, and their errors carry the
/// name they were given.
@Suite struct InMemoryReading {
    @Test func corpusPNGsReadFromBytesAsFromTheirFiles() throws {
        let paths = try fuzzCorpus("png")
        #expect(paths.count >= 10)
        for path in paths {
            let fromFile = try PNGFile.read(path)
            #expect(try PNGFile.read(from: readFile(path)) == fromFile, "\(path)")
            #expect(try PNGFile.read(from: readFile(path), as: .gray) == fromFile.gray(), "\(path)")
        }
    }

    @Test func corpusIDXFilesReadFromBytesAsFromTheirFiles() throws {
        let paths = try fuzzCorpus("idx")
        #expect(paths.count >= 4)
        for path in paths {
            let bytes = try readFile(path)
            if path.contains("labels") {
                let labels = try IDXFile.readLabels(at: path)
                #expect(!labels.isEmpty)
                #expect(try IDXFile.readLabels(from: bytes) == labels, "\(path)")
                #expect(try IDXFile.readLabels(from: bytes, limit: 2) == Array(labels.prefix(2)), "\(path)")
            } else {
                let images = try IDXFile.readImages(at: path)
                #expect(!images.isEmpty)
                #expect(try IDXFile.readImages(from: bytes) == images, "\(path)")
                #expect(try IDXFile.readImages(from: bytes, limit: 1) == [images[0]], "\(path)")
            }
        }
    }

    /// The common image formats are named, with the way to convert them; a lossy one also
    /// says why restoring it is doubtful.
    @Test(arguments: [
        ([0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10], "JPEG"), (Array("GIF87a".utf8), "GIF"), ([0x49, 0x49, 0x2A, 0x00, 8], "TIFF"),
        ([0x4D, 0x4D, 0x00, 0x2A, 0], "TIFF"), (Array("BM6\0\0\0".utf8), "BMP"), (Array("RIFF\u{1}\0\0\0WEBPVP8 ".utf8), "WebP"),
    ] as [([UInt8], String)])
    func otherImageFormatsAreNamed(bytes: [UInt8], format: String) {
        do {
            _ = try PNGFile.read(from: bytes, name: "photo")
            Issue.record("read \(format) bytes as a PNG")
        } catch {
            #expect(error == .otherImageFormat(path: "photo", format: format))
            #expect(error.description.contains("is a \(format) file") && error.description.contains("convert 'photo'"))
            #expect(error.description.contains("lossy") == ["JPEG", "WebP"].contains(format))
        }
    }

    @Test func errorsNameTheBytes() {
        #expect(throws: PNGError.otherImageFormat(path: "upload", format: "GIF")) { try PNGFile.read(from: Array("GIF89a".utf8), name: "upload") }
        #expect(throws: PNGError.notPNG(path: "upload")) { try PNGFile.read(from: Array("GIF90".utf8), name: "upload") }
        #expect(throws: PNGError.notPNG(path: PNGFile.inMemoryName)) { try PNGFile.read(from: []) }
        #expect(throws: IDXError.emptyFile(path: "upload")) { try IDXFile.readImages(from: [], name: "upload") }
        #expect(throws: IDXError.labelFileGivenToImageReader(path: IDXFile.inMemoryName)) {
            try IDXFile.readImages(from: [0, 0, 8, 1, 0, 0, 0, 0])
        }
        #expect(throws: IDXError.invalidLimit(-2)) { try IDXFile.readLabels(from: [0, 0, 8, 1], limit: -2) }
    }
}
