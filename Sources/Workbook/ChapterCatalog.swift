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
