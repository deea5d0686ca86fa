import Foundation
import Imaging

/// Images named on the command line: MNIST-style IDX files (0…255 scale) or PNG
/// photographs (gray, [0, 1] scale), told apart by their first bytes.
struct ImageInput {
    let images: [Image]
    /// 255 for IDX digits, 1 for photographs.
    let pixelScale: Double
    /// What was read, in words (for the model's metadata and the report).
    let description: String

    /// Reads `paths` (all IDX or all PNG); from IDX files the first `count` images of each.
    static func read(_ paths: [String], count: Int?) throws -> ImageInput {
        var images: [Image] = []
        var kinds = Set<String>()
        var described: [String] = []
        for path in paths {
            if try isPNG(path) {
                kinds.insert("png")
                images.append(try PNGFile.read(path, as: .gray))
                described.append((path as NSString).lastPathComponent)
            } else {
                kinds.insert("idx")
                let read = try IDXFile.readImages(at: path, limit: count)
                images += read
                described.append("\(read.count) images of \((path as NSString).lastPathComponent)")
            }
        }
        guard kinds.count == 1 else {
            throw InputError("mix of PNG and IDX inputs: give photographs or digit files, not both")
        }
        for (index, image) in images.enumerated() {
            try image.requireFinitePixels(name: "image \(index)")
        }
        return ImageInput(images: images, pixelScale: kinds.contains("png") ? 1 : 255,
                          description: described.joined(separator: ", "))
    }

    /// True for a file that starts with the PNG signature; IDX otherwise (its reader then
    /// says precisely what is wrong with a file that is neither).
    private static func isPNG(_ path: String) throws -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        let head = try handle.read(upToCount: 8) ?? Data()
        return head == Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
    }
}

/// A problem with the command's input, said in one line.
struct InputError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
