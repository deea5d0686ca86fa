import Foundation
import Imaging

/// Images named on the command line: MNIST-style IDX files (0…255 scale) or PNG
/// photographs (gray, [0, 1] scale), told apart by their first bytes (or a `.png` name).
struct ImageInput {
    let images: [Image]
    /// The file each image came from (parallel to `images`).
    let sources: [String]
    /// 255 for IDX digits, 1 for photographs.
    let pixelScale: Double
    /// What was read, in words (for the model's metadata and the report).
    let description: String
    /// Notes for the user: an IDX file that holds fewer images than were asked for.
    let notes: [String]

    /// Reads `paths` (all IDX or all PNG); from IDX files the first `count` images of each.
    static func read(_ paths: [String], count: Int?) throws -> ImageInput {
        var images: [Image] = []
        var sources: [String] = []
        var kinds = Set<String>()
        var described: [String] = []
        var notes: [String] = []
        for path in paths {
            if try isPNG(path) {
                kinds.insert("png")
                images.append(try PNGFile.read(path, as: .gray))
                sources.append(path)
                described.append((path as NSString).lastPathComponent)
            } else {
                kinds.insert("idx")
                let read = try IDXFile.readImages(at: path, limit: count)
                images += read
                sources += Array(repeating: path, count: read.count)
                described.append("\(read.count) images of \((path as NSString).lastPathComponent)")
                if let count, read.count < count {
                    notes.append("note: '\(path)' holds \(read.count) images, fewer than the \(count) asked for: using all \(read.count)")
                }
            }
        }
        guard kinds.count == 1 else {
            throw InputError("mix of PNG and IDX inputs: give photographs or digit files, not both")
        }
        for (index, image) in images.enumerated() {
            do {
                try image.requireFinitePixels(name: "image \(index)")
            } catch {
                throw InputError("'\(sources[index])': \(error)")
            }
        }
        return ImageInput(images: images, sources: sources, pixelScale: kinds.contains("png") ? 1 : 255,
                          description: described.joined(separator: ", "), notes: notes)
    }

    /// Throws, naming the file, unless every image holds at least one m x m patch.
    func requirePatchesFit(size m: Int) throws {
        for (image, source) in zip(images, sources) where image.width < m || image.height < m {
            throw InputError("the \(m) x \(m) patches do not fit in the \(image.width) x \(image.height) images of '\(source)'")
        }
    }

    /// The pixel scale as the messages print it: "0…255" or "0…1".
    static func range(_ scale: Double) -> String {
        "0…" + String(format: "%g", scale)
    }

    /// True for a file named like an image (`.png`, or `.jpg`, `.gif`, … whose format the PNG
    /// reader names) or starting with the PNG signature (its reader then says precisely what
    /// is wrong with it); IDX otherwise, including a directory or an unreadable file, whose
    /// reader says what is wrong with those.
    private static func isPNG(_ path: String) throws -> Bool {
        let imageSuffixes = [".png", ".jpg", ".jpeg", ".gif", ".tif", ".tiff", ".bmp", ".webp"]
        if imageSuffixes.contains(where: path.lowercased().hasSuffix) { return true }
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        guard let head = try? handle.read(upToCount: 8) else { return false }
        return head == Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
    }
}

/// A problem with the command's input, said in one line.
struct InputError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
