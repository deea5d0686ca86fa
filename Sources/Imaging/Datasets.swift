import Foundation

/// The workbook's datasets in `data/` and the split fixed by the evaluation protocol:
/// MNIST images 0..<1,000 train, 1,000..<4,000 test; photographs camera, astronaut and coffee
/// train, chelsea tests.
public enum Datasets {
    public static let mnistImagesFile = "mnist/mnist-4k-images-idx3-ubyte.gz"
    public static let mnistLabelsFile = "mnist/mnist-4k-labels-idx1-ubyte.gz"
    /// Training digits are the first 1,000 of the file.
    public static let mnistTrainingRange = 0..<1000
    /// Test digits come only after the training ones.
    public static let mnistTestStart = 1000
    public static let trainingPhotographs = ["camera", "astronaut", "coffee"]
    public static let testPhotograph = "chelsea"

    /// The first `count` MNIST training digits (0...255 scale). `count` may not exceed 1,000:
    /// the protocol never trains on test digits.
    public static func mnistTraining(in data: URL, count: Int = 1000) throws -> [Image] {
        guard (1...mnistTrainingRange.count).contains(count) else {
            throw ImageError.invalidParameter("training digit count \(count) must be in 1...\(mnistTrainingRange.count)")
        }
        return try IDXFile.readImages(at: path(mnistImagesFile, in: data), limit: count)
    }

    /// `count` MNIST test digits starting at `mnistTestStart + offset`, with their labels.
    public static func mnistTest(in data: URL, count: Int, offset: Int = 0) throws -> (images: [Image], labels: [Int]) {
        guard count >= 1, offset >= 0, offset <= Int(Int32.max), count <= Int(Int32.max) else {
            throw ImageError.invalidParameter(
                "asked for \(count) test digits from offset \(offset): the count must be at least 1 and the offset 0 or more "
                + "(an IDX file holds fewer than 2³¹ images)")
        }
        let end = mnistTestStart + offset + count
        let all = try IDXFile.readLabelledImages(
            imagesAt: path(mnistImagesFile, in: data), labelsAt: path(mnistLabelsFile, in: data), limit: end)
        guard all.images.count >= end, offset >= 0, count >= 1 else {
            throw ImageError.invalidParameter(
                "asked for \(count) test digits from index \(mnistTestStart + offset); the file has \(all.images.count)")
        }
        let range = (mnistTestStart + offset)..<end
        return (Array(all.images[range]), Array(all.labels[range]))
    }

    /// A photograph `images/<name>.png`, in gray at scale [0, 1] (BT.601 for colour files).
    public static func grayPhotograph(_ name: String, in data: URL) throws -> Image {
        try PNGFile.read(path("images/\(name).png", in: data), as: .gray)
    }

    private static func path(_ relative: String, in data: URL) -> String {
        data.appendingPathComponent(relative).path
    }
}
