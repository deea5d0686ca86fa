/// # 01 · Patches of MNIST digits
///
/// *Simulation question 1 of the MNIST denoising study (seeds 000–002): extract all
/// overlapping m × m patches from 1,000 MNIST digits, vectorise them and save them.*
///
/// A patch prior models small windows of an image rather than the whole image. Every
/// later chapter starts here: the EM fits of chapter 02 see only patches, and the
/// restorations of chapters 09–13 estimate every patch and then average them back.
///
/// **Counting.** An H × W image has (H − m + 1)(W − m + 1) windows of size m × m at stride 1:
/// the top-left corner can sit in any of H − m + 1 rows and W − m + 1 columns. For a 28 × 28
/// digit and m = 16 that is 13² = 169 patches, each a vector of m² = 256 values, so N digits
/// give 169 N vectors in ℝ²⁵⁶. Stored as Double, the patch set takes 8 · 169 · 256 · N bytes,
/// 346 MB for N = 1,000: the patches repeat every pixel up to m² times.
///
/// **Order.** Patch p of an image has its top-left corner at row ⌊p / (W − m + 1)⌋ and
/// column p mod (W − m + 1) (row-major over corners), and its m² values are read row by row.
///
/// **Reassembly.** Given one estimate per patch, pixel (i, j) becomes the average of the
/// estimates of all patches that cover it,
///
/// $$\hat x_{ij} = \frac{1}{|P_{ij}|} \sum_{p \in P_{ij}} \hat z_p[i - r_p, j - c_p],$$
///
/// where P_ij is the set of patches containing (i, j) and (r_p, c_p) the corner of patch p.
/// If every estimate is the true patch, every term equals x_ij and the average gives x back:
/// extraction followed by reassembly is the identity (checked below).
import Figures
import Foundation
import Imaging
import LinearAlgebra
import NumPyFormat
import Randomness
import Workbook

let chapter = Chapter("01-patches", title: "Patches of MNIST digits", question: "Simulation question 1")
let patchSizes = [4, 8, 12, 16, 20, 28]
let defaultPatchSize = 16

var digits: [Image] = []
var patchSets: [Int: Matrix] = [:]
var extractionSeconds: [Int: Double] = [:]

chapter.step("Load the training digits") { ctx in
    /// The protocol trains on the first 1,000 digits of the file; --quick takes 100.
    digits = try Datasets.mnistTraining(in: ctx.dataDirectory, count: ctx.choose(full: 1000, quick: 100))
    ctx.narrate("MNIST digits are 28 × 28 gray images with ink 255 on background 0 (no rescaling).")
    ctx.report("digits loaded", digits.count)
    ctx.report("size", "\(digits[0].width) × \(digits[0].height)")
    let values = digits.flatMap(\.pixels)
    ctx.report("pixel range", "\(values.min()!) … \(values.max()!)")
    ctx.check("every pixel is an integer in 0…255",
              holds: values.allSatisfy { $0 >= 0 && $0 <= 255 && $0.rounded() == $0 })
}

chapter.step("Cut every digit into all overlapping patches, for six patch sizes") { ctx in
    /// One matrix per patch size: a row per patch, image after image.
    for m in patchSizes {
        let (patches, seconds) = try ctx.timed { try extractPatches(from: digits, size: m) }
        patchSets[m] = patches
        extractionSeconds[m] = seconds
        let perDigit = (28 - m + 1) * (28 - m + 1)
        ctx.report("m = \(m): patches", patches.rows,
                   unit: "(\(perDigit) per digit, d = \(m * m), \(Format.bytes(patches.storage.count * 8)), \(Format.seconds(seconds)))")
        ctx.check("m = \(m): count is N (29 − m)²", equals: digits.count * perDigit, actual: patches.rows)
    }
}

chapter.step("Check the patch order against the definition") { ctx in
    /// Patch p of digit t is row t · (29 − m)² + p; its corner is (⌊p / (29 − m)⌋, p mod (29 − m)).
    var worst = 0.0
    var g = ctx.generator("order")
    for m in patchSizes {
        let patches = patchSets[m]!
        let side = 28 - m + 1
        for _ in 0..<50 {
            let t = g.nextInt(below: digits.count)
            let p = g.nextInt(below: side * side)
            let (r, c) = (p / side, p % side)
            let row = patches.row(t * side * side + p)
            for i in 0..<m {
                for j in 0..<m { worst = max(worst, abs(row[i * m + j] - digits[t][x: c + j, y: r + i])) }
            }
        }
    }
    ctx.check("50 random patches per size equal their windows", value: worst, below: 0)
}

chapter.step("Reassemble every digit by averaging its patches") { ctx in
    /// With the true patches as the estimates, reassembly must return each digit exactly.
    var worst = 0.0
    for m in patchSizes {
        let patches = patchSets[m]!
        let perDigit = (28 - m + 1) * (28 - m + 1)
        for (t, digit) in digits.enumerated() where t < ctx.choose(full: 200, quick: 20) {
            let own = patches.rows(Array((t * perDigit)..<((t + 1) * perDigit)))
            let rebuilt = try reassemblePatches(own, size: m, width: 28, height: 28)
            worst = max(worst, zip(rebuilt.pixels, digit.pixels).reduce(0) { max($0, abs($1.0 - $1.1)) })
        }
    }
    ctx.check("max |reassemble(extract(x)) − x| over digits and sizes", value: worst, below: 0)
}

chapter.step("Save the m = 16 patch set for numpy") { ctx in
    /// MNIST pixels are integers 0…255, so uint8 stores the patches exactly in an eighth
    /// of the memory. In Python: `numpy.load("figures/01-patches/patches-m16.npy")`
    /// returns an array of shape (169 N, 256); `.reshape(-1, 16, 16)` gives the windows.
    let patches = patchSets[defaultPatchSize]!
    let bytes = patches.storage.map { UInt8($0) }
    let array = try NumPyArray(uint8: bytes, shape: [patches.rows, patches.columns])
    try FileManager.default.createDirectory(at: ctx.figuresDirectory, withIntermediateDirectories: true)
    let url = ctx.figuresDirectory.appendingPathComponent("patches-m16.npy")
    try NPYFile.write(array, to: url)
    let size = (try FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 0
    ctx.report("written", "\(ctx.options.figures)/\(ctx.chapterSlug)/patches-m16.npy")
    ctx.report("file size", Format.bytes(size))
    ctx.report("shape", "(\(patches.rows), \(patches.columns)) uint8")
    let back = try NPYFile.read(from: url)
    ctx.check("reading it back gives the same patches", holds: try back.uint8Values() == bytes && back.shape == array.shape)
}

chapter.figure("Figure: a digit with some of its 16 × 16 windows") { ctx in
    /// Four windows of the 169: the first, its neighbours one pixel right and one pixel
    /// down (they overlap it in 15 of 16 columns or rows), and the last. A thin grid marks
    /// the pixels. The first window shares every edge with one of its neighbours, so it is
    /// drawn last and a quarter pixel inside its true outline, where it stays visible.
    let digit = digits[0]
    let grid: [AnnotatedImage.Overlay] = (1..<28).flatMap { i in
        [AnnotatedImage.Overlay.segment(x0: Double(i), y0: 0, x1: Double(i), y1: 28, color: .gray, lineWidth: 0.5),
         .segment(x0: 0, y0: Double(i), x1: 28, y1: Double(i), color: .gray, lineWidth: 0.5)]
    }
    let inset = 0.25
    let windows: [AnnotatedImage.Overlay] = [
        .rectangle(x: 1, y: 0, width: 16, height: 16, color: .cyan, lineWidth: 2),
        .rectangle(x: 0, y: 1, width: 16, height: 16, color: .green, lineWidth: 2),
        .rectangle(x: 12, y: 12, width: 16, height: 16, color: .red, lineWidth: 3),
        .rectangle(x: inset, y: inset, width: 16 - 2 * inset, height: 16 - 2 * inset, color: .orange, lineWidth: 3),
    ]
    try ctx.figures.write(
        AnnotatedImage(.gray(digit, displayRange: 0...255), overlays: grid + windows,
                       title: "16 × 16 windows, numbered row by row: 1 (orange), 2 (cyan), 14 (green), 169 (red)"),
        name: "digit-patch-grid")
}

chapter.figure("Figure: mosaics of random patches, m = 8 and m = 16") { ctx in
    /// 64 patches drawn uniformly from all patches of the training digits. Many small
    /// patches are empty background or a single stroke; the large ones show parts of digits.
    var g = ctx.generator("mosaic")
    for m in [8, 16] {
        let patches = patchSets[m]!
        let picked = (0..<64).map { _ in g.nextInt(below: patches.rows) }
        let cells = picked.map { ImageGrid.Cell(.patch(patches.row($0), side: m, displayRange: 0...255)) }
        try ctx.figures.write(
            ImageGrid(cells: cells, columns: 8, title: "64 random \(m) × \(m) patches of the training digits"),
            name: "mosaic-m\(m)")
    }
}

chapter.figure("Figure: patch count and memory against m") { ctx in
    let sizes = patchSizes.map(Double.init)
    let counts = patchSizes.map { Double(patchSets[$0]!.rows) }
    let mebibytes = patchSizes.map { Double(patchSets[$0]!.storage.count * 8) / 1_048_576 }
    try ctx.figures.write(
        LinePlot(series: [.init(name: "patches, N (29 − m)² (left axis)", x: sizes, y: counts),
                          .init(name: "memory as Double, MiB (right axis)", x: sizes, y: mebibytes, axis: .right)],
                 title: "Patches of \(digits.count) digits against the patch size m",
                 xLabel: "patch size m (pixels)", yLabel: "number of patches", logY: true,
                 y2Label: "memory as Double (MiB)", logY2: true, legend: .bottomLeft),
        name: "patch-count")
}

chapter.run()
