import Foundation
import Testing
import Workbook

@Suite struct MathDelimiterBalance {
    @Test(arguments: [
        "Inline $x^2$ and display\n\n$$\\sum_k \\pi_k = 1.$$",
        "Display over lines $$a\n  = b$$ then $c$.",
        "A price of \\$5 and \\$6, no math.",
        "Code `$x` and ```$$``` are not math.",
        "```\nlet a = \"$\"\n```\n\ntext",
        "$$\\begin{aligned} a &= b \\\\ c &= d \\end{aligned}$$",
    ])
    func balancedMathHasNoProblems(markdown: String) {
        #expect(MathDelimiters.problems(in: markdown) == [])
    }

    @Test(arguments: [
        ("An open $x + y\n\nnext paragraph $z$", "a `$` is not closed"),
        ("$$x\n\ny$$", "a `$$` is not closed"),
        ("$$\\begin{aligned} a \\end{cases}$$", "\\end{cases} without \\begin{cases}"),
        ("$$\\begin{aligned} a$$", "\\begin{aligned} is not closed"),
    ])
    func unbalancedMathIsReported(markdown: String, problem: String) {
        let problems = MathDelimiters.problems(in: markdown)
        #expect(problems.count >= 1)
        #expect(problems.contains { $0.hasPrefix(problem) }, "\(problems)")
    }
}

@Suite struct PandocConversion {
    @Test func theVersionIsReadFromTheFirstLine() {
        #expect(Pandoc.version(fromVersionOutput: "pandoc 2.17.1.1\nCompiled with pandoc-types") == [2, 17, 1, 1])
        #expect(Pandoc.version(fromVersionOutput: "pandoc.exe 3.1.2\n") == [3, 1, 2])
        #expect(Pandoc.version(fromVersionOutput: "something else") == nil)
        #expect(Pandoc.version(fromVersionOutput: "") == nil)
    }

    @Test func olderPandocEmbedsWithSelfContained() {
        let url = URL(fileURLWithPath: "/usr/bin/pandoc")
        let old = Pandoc(executable: url, version: [2, 17, 1, 1])
            .htmlArguments(input: "r.md", header: "h.html", output: "r.html", resourceDirectory: "report")
        let new = Pandoc(executable: url, version: [3, 1])
            .htmlArguments(input: "r.md", header: "h.html", output: "r.html", resourceDirectory: "report")
        #expect(old.contains("--self-contained") && !old.contains("--embed-resources"))
        #expect(new.contains("--embed-resources") && new.contains("--standalone") && !new.contains("--self-contained"))
        for arguments in [old, new] {
            #expect(arguments.contains("--mathml") && arguments.contains("--toc"))
            #expect(arguments.first == "r.md")
            #expect(arguments.suffix(2) == ["--output", "r.html"])
        }
    }

    @Test func bigDelimitersBecomeOnesPandocConverts() {
        #expect(Pandoc.texmathCompatible("\\Bigl( x \\Bigr) and \\bigl( y \\bigr)")
            == "\\Big( x \\Big) and \\bigl( y \\bigr)")
    }

    @Test(.enabled(if: Pandoc.find() != nil, "pandoc is not installed"))
    func theDemoReportBecomesOneStandaloneHTMLFile() throws {
        let workspace = try DemoWorkspace()
        defer { workspace.remove() }
        let pandoc: Pandoc = try #require(Pandoc.find())
        let written = try workspace.report().write(to: workspace.output, pandoc: pandoc)
        let html = try String(contentsOf: try #require(written.html), encoding: .utf8)
        #expect(html.contains("<math"), "math is MathML")
        #expect(html.contains("<title>The EM workbook"), "the first heading is the title")
        #expect(html.contains("id=\"TOC\""), "there is a table of contents")
        #expect(html.contains("data:image/png;base64,"), "figures are embedded")
        #expect(!html.contains("src=\"../figures"), "no figure is left as a link")
        #expect(try FileManager.default.contentsOfDirectory(atPath: workspace.output.path).sorted()
            == ["report.html", "report.md"])
    }
}
