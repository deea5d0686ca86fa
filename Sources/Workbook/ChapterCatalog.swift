/// One chapter of the workbook, as the `workbook` command and the report know it.
public struct ChapterEntry: Equatable, Sendable {
    /// `01-patches`: two digits, a dash, a name; the folder under `chapters/`.
    public let slug: String
    /// One line saying what the chapter does.
    public let summary: String
    /// The study question it answers.
    public let question: String

    public init(slug: String, summary: String, question: String) {
        self.slug = slug
        self.summary = summary
        self.question = question
    }

    /// The executable's name: `ch01-patches`.
    public var productName: String { "ch" + slug }

    /// The chapter's number: 1 for `01-patches` (nil if the slug does not start with digits).
    public var number: Int? { Int(slug.prefix { $0.isNumber }) }
}

/// The chapters of the workbook, in reading order. A new chapter is added here (and to
/// `chapterSlugs` in Package.swift).
public enum ChapterCatalog {
    public static let all: [ChapterEntry] = [
        ChapterEntry(
            slug: "01-patches",
            summary: "Patches: all overlapping m x m patches of MNIST digits, vectorised; "
                + "reassembly by averaging",
            question: "Simulation question 1"),
        ChapterEntry(
            slug: "02-em-gmm",
            summary: "EM for a Gaussian mixture on 16 x 16 digit patches; K by cross-validation and BIC",
            question: "Simulation question 2"),
        ChapterEntry(
            slug: "03-lagrange-weights",
            summary: "The mixture-weight update by a Lagrange multiplier, verified on the simplex",
            question: "Theory 1.1 (course report)"),
        ChapterEntry(
            slug: "04-degenerate-init",
            summary: "Why identical initial components never separate",
            question: "Theory 1.3 (course report)"),
        ChapterEntry(
            slug: "05-gsm-scale",
            summary: "The Gaussian scale mixture and its scale update",
            question: "Theory 1.2 (course report)"),
        ChapterEntry(
            slug: "06-joint-gaussian",
            summary: "The joint Gaussian of a clean patch and its blurred, noisy observation; the posterior two ways",
            question: "Theory question 1"),
        ChapterEntry(
            slug: "07-gmm-posterior",
            summary: "Under a GMM prior the posterior is again a GMM",
            question: "Theory question 2"),
        ChapterEntry(
            slug: "08-why-gmm",
            summary: "Why a mixture prior for patches: held-out likelihood of MVN, GSM and GMM",
            question: "Theory question 3"),
        ChapterEntry(
            slug: "09-denoise",
            summary: "Restoring blurred, noisy digits: seed MAP, evidence MAP and MMSE",
            question: "Simulation question 3"),
        ChapterEntry(
            slug: "10-denoised-grid",
            summary: "The denoised grid and sweeps over patch size, K and noise",
            question: "Simulation question 4"),
        ChapterEntry(
            slug: "11-model-comparison",
            summary: "Natural-image denoising with MVN, GSM and GMM patch priors",
            question: "Sections 2.1-2.5 (course report)"),
        ChapterEntry(
            slug: "12-segmentation",
            summary: "EM for an isotropic mixture: image segmentation and compression",
            question: "EM-from-scratch study"),
        ChapterEntry(
            slug: "13-epll",
            summary: "Whole-image restoration by EPLL: every patch likely under the prior at once",
            question: "EPLL (Zoran and Weiss 2011)"),
    ]

    /// The chapter called `name`: its slug (`01-patches`), its number (`01` or `1`), or its
    /// product name (`ch01-patches`).
    public static func entry(named name: String, in entries: [ChapterEntry] = all) throws -> ChapterEntry {
        let number = name.allSatisfy(\.isNumber) ? Int(name) : nil
        let found = entries.first { entry in
            entry.slug == name || entry.productName == name
                || (number != nil && entry.number == number)
        }
        guard let found else {
            throw WorkbookError.unknownChapter(name: name, valid: entries.map(\.slug))
        }
        return found
    }

    /// The chapters called `names`, in catalog order and each once; all of them when `names`
    /// is empty.
    public static func entries(named names: [String], in entries: [ChapterEntry] = all) throws -> [ChapterEntry] {
        guard !names.isEmpty else { return entries }
        let wanted = try names.map { try entry(named: $0, in: entries).slug }
        return entries.filter { wanted.contains($0.slug) }
    }
}
