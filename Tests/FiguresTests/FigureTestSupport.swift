import Foundation
import Testing
@testable import Figures

/// Runs `body` with a fresh directory path for one test's figures (not yet created), and
/// removes it afterwards; with $FIGURES_PREVIEW set, the directory is made there and kept,
/// to look at the figures.
func withFigureDirectory(_ label: String, _ body: (String) throws -> Void) throws {
    let preview = ProcessInfo.processInfo.environment["FIGURES_PREVIEW"]
    let root = preview ?? FileManager.default.temporaryDirectory.appendingPathComponent("figures-tests").path
    let directory = URL(fileURLWithPath: root).appendingPathComponent("\(label)-\(UUID().uuidString.prefix(8))").path
    defer { if preview == nil { try? FileManager.default.removeItem(atPath: directory) } }
    try body(directory)
}

/// The names of the files in `directory` (hidden ones included); empty if it does not exist.
func fileNames(in directory: String) -> Set<String> {
    Set((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [])
}

/// The width and height in a PNG file's IHDR chunk: after the 8-byte signature comes the
/// chunk length (4 bytes) and type "IHDR" (4 bytes), then width and height as big-endian
/// 32-bit integers at bytes 16-19 and 20-23.
func pngSize(_ path: String) throws -> PixelSize {
    let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
    try #require(bytes.count >= 24, "\(path) is too short for a PNG")
    try #require(Array(bytes[0..<8]) == signature, "\(path) has no PNG signature")
    try #require(String(decoding: bytes[12..<16], as: UTF8.self) == "IHDR", "\(path) has no IHDR chunk first")
    let bigEndian = { (offset: Int) in bytes[offset..<(offset + 4)].reduce(0) { $0 << 8 | Int($1) } }
    return PixelSize(width: bigEndian(16), height: bigEndian(20))
}

/// Runs `gnuplot <script>` in `directory`; returns the exit status.
func runGnuplot(script: String, in directory: String) throws -> Int32 {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["gnuplot", script]
    process.currentDirectoryURL = URL(fileURLWithPath: directory)
    process.standardError = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    return process.terminationStatus
}

/// Checks a written figure: the PNG has `size`; the PDF, script and data exist; the directory
/// holds exactly these four files (no temporary ones); and `gnuplot <name>.gp`, run in the
/// directory after deleting both images, draws the same PNG again.
func checkWrittenFigure(_ written: FigureWriter.Written, in directory: String, name: String,
                        size: PixelSize) throws {
    #expect(fileNames(in: directory) == [name + ".png", name + ".pdf", name + ".gp", name + ".dat"])
    #expect(try pngSize(written.png) == size)
    let pdf = try Data(contentsOf: URL(fileURLWithPath: written.pdf))
    #expect(pdf.starts(with: Array("%PDF".utf8)))
    let script = try String(contentsOfFile: written.script, encoding: .utf8)
    #expect(script.contains("\"\(name).dat\""), "the script reads its data by relative name")
    #expect(try Data(contentsOf: URL(fileURLWithPath: written.data)).count > 0)

    let png = try Data(contentsOf: URL(fileURLWithPath: written.png))
    try FileManager.default.removeItem(atPath: written.png)
    try FileManager.default.removeItem(atPath: written.pdf)
    #expect(try runGnuplot(script: name + ".gp", in: directory) == 0)
    #expect(try Data(contentsOf: URL(fileURLWithPath: written.png)) == png, "the script redraws the same PNG")
    #expect(FileManager.default.fileExists(atPath: written.pdf))
}

/// Sample pictures (no randomness needed: smooth synthetic patterns).
enum Samples {
    /// A 28x28 MNIST-like digit: an ellipse stroke of ink (255) on background (0) whose
    /// shape depends on `variant`.
    static func digit(_ variant: Int) -> GrayImage {
        let radiusX = 5.0 + Double(variant % 4), radiusY = 9.0 - Double(variant % 3)
        var pixels: [Double] = []
        for row in 0..<28 {
            for column in 0..<28 {
                let dx = (Double(column) + 0.5 - 14) / radiusX, dy = (Double(row) + 0.5 - 14) / radiusY
                let distance = abs((dx * dx + dy * dy).squareRoot() - 1) * min(radiusX, radiusY)
                pixels.append((255 * max(0, min(1, 1.6 - distance))).rounded())
            }
        }
        return GrayImage(width: 28, height: 28, pixels: pixels)
    }

    /// The digit with a stripe pattern added, clipped to 0...255 ("corrupted").
    static func corrupted(_ digit: GrayImage) -> GrayImage {
        var image = digit
        image.pixels = digit.pixels.indices.map { index in
            let stripe = 60 * sin(Double(index) * 1.7)
            return max(0, min(255, digit.pixels[index] + stripe))
        }
        return image
    }

    /// A 16x16 patch of oriented stripes with values in 0...255.
    static func patch(_ index: Int) -> GrayImage {
        let angle = Double(index) * 0.4, frequency = 0.3 + 0.05 * Double(index % 5)
        let pixels = (0..<256).map { pixel -> Double in
            let x = Double(pixel % 16), y = Double(pixel / 16)
            return 127.5 + 127.5 * sin(frequency * (x * cos(angle) + y * sin(angle)))
        }
        return GrayImage(width: 16, height: 16, pixels: pixels)
    }

    /// A 40x30 segmentation-like RGB image of three regions.
    static func segmentation(_ variant: Int) -> RGBImage {
        let colors: [[Double]] = [[0.85, 0.3, 0.2], [0.2, 0.5, 0.85], [0.95, 0.85, 0.3]]
        var pixels: [Double] = []
        for row in 0..<30 {
            for column in 0..<40 {
                let region = (column + variant * 5) < 15 ? 0 : (row * 40 / 30 < column - 5 ? 1 : 2)
                pixels += colors[region]
            }
        }
        return RGBImage(width: 40, height: 30, pixels: pixels)
    }
}
