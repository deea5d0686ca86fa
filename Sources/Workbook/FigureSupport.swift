import Figures
import Imaging

extension StepContext {
    /// The writer for this chapter's figures: `figures/<slug>/<name>.{png,pdf,gp,dat}`.
    public var figures: FigureWriter {
        FigureWriter(directory: figuresDirectory.path)
    }
}

extension Picture {
    /// A gray `Image` (any scale) as a figure picture, shown over `displayRange`
    /// (0…255 for MNIST digits, 0…1 for photographs).
    public static func gray(_ image: Image, displayRange: ClosedRange<Double>) -> Picture {
        .gray(GrayImage(width: image.width, height: image.height, pixels: image.gray().pixels,
                        displayRange: displayRange))
    }

    /// An RGB `Image` with values in [0, 1] as a figure picture.
    public static func rgb(_ image: Image) -> Picture {
        .rgb(RGBImage(width: image.width, height: image.height, pixels: image.rgb().pixels))
    }

    /// A vectorised m x m patch (row-major values) as a gray picture.
    public static func patch(_ values: [Double], side m: Int, displayRange: ClosedRange<Double>) -> Picture {
        .gray(GrayImage(width: m, height: m, pixels: values, displayRange: displayRange))
    }
}

extension ImageGrid {
    /// The rows of a restoration figure: one row per image, one column per method
    /// (`columns[0]` the clean images, the others corrupted and restored versions), each cell
    /// clipped to [0, peak] and captioned with its PSNR against the clean image; a clean
    /// image is captioned with its index in the data file, `firstFileIndex + row`.
    public static func restorationRows(
        _ columns: [(title: String, images: [Image])], count: Int, peak: Double, firstFileIndex: Int
    ) throws -> [[Cell]] {
        let clean = columns[0].images
        return try (0..<count).map { i in
            try columns.enumerated().map { column, entry in
                let psnr = try peakSignalToNoiseRatio(estimate: entry.images[i], reference: clean[i], peak: peak)
                return Cell(.gray(entry.images[i].clipped(to: 0...peak), displayRange: 0...peak),
                            caption: column == 0 ? "image #\(firstFileIndex + i)" : String(format: "%.1f dB", psnr))
            }
        }
    }
}
