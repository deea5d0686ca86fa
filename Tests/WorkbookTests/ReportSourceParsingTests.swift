import Randomness
import Testing
import Workbook

/// A small chapter source in the workbook's style, used by the parsing and weaving tests.
enum DemoChapter {
    static let source = #"""
        /// # 01 · A demo chapter
        ///
        /// The question, with math $x^2$ and
        ///
        /// $$\sum_k \pi_k = 1.$$
        import Foundation
        import Workbook

        let chapter = Chapter("01-demo", title: "A demo chapter", question: "Demo question")
        var count = 0

        chapter.step("Count the digits") { ctx in
            /// We count.
            count = 3
            ctx.report("count", count)

            /// Then we check.
            ctx.check("count is three", equals: 3, actual: count)
        }

        let m = 8

        chapter.step("Size m = \(m)") { ctx in
            /// The size, with a "quote".
            if m > 0 {
                ctx.narrate(Format.table(["k", "log|Σ|"], [["1", "2.5"]]))
            }
        }

        chapter.figure("Figure: mosaics") { ctx in
            for m in [8, 16] {
                try ctx.figures.write(
                    LinePlot(series: [.init(name: "series-\(m)", x: [1], y: [1])], title: "Mosaic"),
                    name: "mosaic-m\(m)")
            }
        }

        chapter.run()
        """#
}

@Suite struct ChapterSourceParsing {
    @Test func theDemoChapterSplitsIntoIntroductionCodeAndSteps() throws {
        let source = try ChapterSource.parse(DemoChapter.source, path: "demo/main.swift")
        #expect(source.introduction == "# 01 · A demo chapter\n\nThe question, with math $x^2$ and\n\n$$\\sum_k \\pi_k = 1.$$")
        let expected: [ChapterSource.Block] = [
            .code("let chapter = Chapter(\"01-demo\", title: \"A demo chapter\", question: \"Demo question\")\nvar count = 0"),
            .step(.init(
                title: StringTemplate(parts: [.text("Count the digits")]), isFigure: false,
                segments: [
                    .prose("We count."),
                    .code("count = 3\nctx.report(\"count\", count)"),
                    .prose("Then we check."),
                    .code("ctx.check(\"count is three\", equals: 3, actual: count)"),
                ],
                figureNames: [], line: 12)),
            .code("let m = 8"),
            .step(.init(
                title: StringTemplate(parts: [.text("Size m = "), .interpolation("m")]), isFigure: false,
                segments: [
                    .prose("The size, with a \"quote\"."),
                    .code("if m > 0 {\n    ctx.narrate(Format.table([\"k\", \"log|Σ|\"], [[\"1\", \"2.5\"]]))\n}"),
                ],
                figureNames: [], line: 23)),
            .step(.init(
                title: StringTemplate(parts: [.text("Figure: mosaics")]), isFigure: true,
                segments: [
                    .code("for m in [8, 16] {\n    try ctx.figures.write(\n"
                        + "        LinePlot(series: [.init(name: \"series-\\(m)\", x: [1], y: [1])], title: \"Mosaic\"),\n"
                        + "        name: \"mosaic-m\\(m)\")\n}"),
                ],
                figureNames: [StringTemplate(parts: [.text("mosaic-m"), .interpolation("m")])], line: 30)),
        ]
        #expect(source.blocks.count == expected.count)
        for (block, wanted) in zip(source.blocks, expected) {
            #expect(block == wanted)
        }
        #expect(source.steps.map(\.title.written) == ["Count the digits", "Size m = \\(m)", "Figure: mosaics"])
    }

    @Test func aSourceWithoutIntroductionOrStepsIsAllCode() throws {
        let source = try ChapterSource.parse("import Workbook\n\nlet x = 1\n", path: "x.swift")
        #expect(source.introduction == "")
        #expect(source.blocks == [.code("let x = 1")])
    }

    @Test func anUnclosedStepNamesItsLine() {
        let text = "let chapter = Chapter(\"01-x\", title: \"X\", question: \"Q\")\n\nchapter.step(\"Open\") { ctx in\n    let a = 1\n  }\n"
        #expect(throws: ReportError.unparsableSource(
            path: "x.swift", line: 3,
            reason: "the step \"Open\" has no closing `}` alone at the start of a line")) {
            try ChapterSource.parse(text, path: "x.swift")
        }
    }

    @Test func aTitleThatIsNotALiteralIsAnError() {
        #expect(throws: ReportError.self) {
            try ChapterSource.parse("chapter.step(title) { ctx in\n}\n", path: "x.swift")
        }
    }

    @Test func aChapterVariableOfAnotherNameIsFollowed() throws {
        let text = "let book = Chapter(\"01-x\", title: \"X\", question: \"Q\")\nbook.step(\"One\") { ctx in\n    ctx.report(\"a\", 1)\n}\nbook.run()\n"
        let source = try ChapterSource.parse(text, path: "x.swift")
        #expect(source.steps.map(\.title.written) == ["One"])
        #expect(source.blocks.first == .code("let book = Chapter(\"01-x\", title: \"X\", question: \"Q\")"))
    }
}

@Suite struct StringTemplateMatching {
    let mosaic = StringTemplate(parts: [.text("mosaic-m"), .interpolation("m")])

    @Test func anInterpolationStandsForOneOrMoreCharacters() {
        #expect(mosaic.matches("mosaic-m8"))
        #expect(mosaic.matches("mosaic-m16"))
        #expect(!mosaic.matches("mosaic-m"))
        #expect(!mosaic.matches("mosaic-x8"))
        #expect(!mosaic.matches("amosaic-m8"))
        let middle = StringTemplate(parts: [.text("gmm-m"), .interpolation("m"), .text("-k"), .interpolation("k")])
        #expect(middle.matches("gmm-m16-k11"))
        #expect(middle.matches("gmm-m16-k-k11"))
        #expect(!middle.matches("gmm-m-k11"))
        #expect(!middle.matches("gmm-m16-k"))
        let plain = StringTemplate(parts: [.text("bic")])
        #expect(plain.matches("bic") && !plain.matches("bics") && plain.isPlain)
    }

    /// Any filling of the interpolations (one to four characters each) is matched; changing
    /// the first (last) character breaks the match when the literal starts (ends) with text.
    @Test(arguments: 0..<40) func everyFillingMatches(seed: Int) {
        var g = SeededGenerator(seed: UInt64(seed))
        let alphabet = Array("ab-1")
        func word(_ length: Int) -> String { String((0..<length).map { _ in alphabet[g.nextInt(below: alphabet.count)] }) }
        var parts: [StringTemplate.Part] = []
        var filled = ""
        for index in 0..<(1 + g.nextInt(below: 5)) {
            if index % 2 == seed % 2 {
                let text = word(1 + g.nextInt(below: 3))
                parts.append(.text(text))
                filled += text
            } else {
                parts.append(.interpolation("x\(index)"))
                filled += word(1 + g.nextInt(below: 4))
            }
        }
        let template = StringTemplate(parts: parts)
        #expect(template.matches(filled), "\(template.written) should match \(filled)")
        if case .text = parts.first {
            #expect(!template.matches("Z" + filled.dropFirst()))
        }
        if case .text = parts.last {
            #expect(!template.matches(filled.dropLast() + "Z"))
        }
    }
}
