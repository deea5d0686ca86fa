import ArgumentParser
import Workbook

/// `workbook list`: one line per chapter, its slug and what it does.
struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the chapters."
    )

    func run() {
        let console = StandardConsole()
        let width = (ChapterCatalog.all.map(\.slug.count).max() ?? 0) + 2
        for entry in ChapterCatalog.all {
            console.line(entry.slug + String(repeating: " ", count: width - entry.slug.count)
                + entry.summary)
        }
    }
}
