import Testing
import Workbook

@Suite struct ChapterLookup {
    let entries = [
        ChapterEntry(slug: "01-patches", summary: "Patches", question: "Q1"),
        ChapterEntry(slug: "02-gaussian", summary: "One Gaussian", question: "Q2"),
        ChapterEntry(slug: "10-em", summary: "EM", question: "Q3"),
    ]

    @Test func theCatalogStartsWithThePatchesChapter() throws {
        let first = try #require(ChapterCatalog.all.first)
        #expect(first.slug == "01-patches")
        #expect(first.productName == "ch01-patches")
        #expect(first.question == "Simulation question 1")
        #expect(Set(ChapterCatalog.all.map(\.slug)).count == ChapterCatalog.all.count)
        #expect(ChapterCatalog.all.map(\.slug) == ChapterCatalog.all.map(\.slug).sorted())
    }

    @Test(arguments: ["02-gaussian", "02", "2", "ch02-gaussian"])
    func aChapterIsFoundBySlugNumberOrProductName(name: String) throws {
        #expect(try ChapterCatalog.entry(named: name, in: entries).slug == "02-gaussian")
    }

    @Test func twoDigitNumbersAreNotConfused() throws {
        #expect(try ChapterCatalog.entry(named: "10", in: entries).slug == "10-em")
        #expect(try ChapterCatalog.entry(named: "1", in: entries).slug == "01-patches")
    }

    @Test(arguments: ["03", "gaussian", "ch02", "", "02-gaussian ", "-1"])
    func anUnknownNameListsTheValidOnes(name: String) {
        #expect(throws: WorkbookError.unknownChapter(
            name: name, valid: ["01-patches", "02-gaussian", "10-em"])) {
            try ChapterCatalog.entry(named: name, in: entries)
        }
        let message = WorkbookError.unknownChapter(name: name, valid: ["01-patches"]).description
        #expect(message.contains("unknown chapter '\(name)'") && message.contains("01-patches"))
    }

    @Test func namedChaptersRunInCatalogOrderOnce() throws {
        #expect(try ChapterCatalog.entries(named: [], in: entries) == entries)
        let picked = try ChapterCatalog.entries(named: ["10", "01-patches", "ch10-em"], in: entries)
        #expect(picked.map(\.slug) == ["01-patches", "10-em"])
        #expect(throws: WorkbookError.self) { try ChapterCatalog.entries(named: ["1", "x"], in: entries) }
    }
}
