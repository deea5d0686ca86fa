import Testing
import Workbook

@Suite struct NumberFormatting {
    @Test(arguments: [
        (3.14159, 3, "3.14"), (1.2e-13, 6, "1.2e-13"), (1000, 6, "1000"), (123456789, 3, "1.23e+08"),
        (-0.5, 2, "-0.5"), (Double.nan, 3, "nan"), (Double.infinity, 3, "inf"), (-Double.infinity, 3, "-inf"),
    ])
    func significantDigits(value: Double, digits: Int, expected: String) {
        #expect(Format.significant(value, digits: digits) == expected)
    }

    @Test(arguments: [
        (8.5e-4, "850 µs"), (0.0123, "12.3 ms"), (3.14159, "3.14 s"), (125.2, "2 min 5 s"), (59.99, "60 s"),
    ])
    func durations(seconds: Double, expected: String) {
        #expect(Format.seconds(seconds) == expected)
    }

    @Test(arguments: [
        (512, "512 B"), (1536, "1.5 KiB"), (44_144_640, "42.1 MiB"), (1_288_490_189, "1.2 GiB"),
    ])
    func byteCounts(bytes: Int, expected: String) {
        #expect(Format.bytes(bytes) == expected)
    }

    @Test func stopwatchMeasuresTheWork() {
        let seconds = Stopwatch.measure { usleepSeconds(0.02) }
        #expect(seconds >= 0.02 && seconds < 2)
        let (value, timed) = Stopwatch.timed { () -> Int in usleepSeconds(0.01); return 42 }
        #expect(value == 42 && timed >= 0.01)
    }
}

/// Sleeps for `seconds` (a deterministic amount of wall-clock time for the stopwatch).
private func usleepSeconds(_ seconds: Double) {
    let clock = ContinuousClock()
    let deadline = clock.now + .milliseconds(Int(seconds * 1000))
    while clock.now < deadline {}
}

@Suite struct StreamSeeds {
    /// Known answers of the documented formula, from an independent transcription of it in
    /// Python (whose FNV-1a reproduces the published 64-bit test vectors: "" → cbf29ce484222325,
    /// "a" → af63dc4c8601ec8c, "foobar" → 85944171f73967e8): a changed constant, shift or
    /// byte order gives other seeds, and every chapter's numbers with them.
    @Test(arguments: [(UInt64(2026), "noise", UInt64(0x48bf_1178_f33f_9d38)), (0, "", 0x0803_5f29_acc1_08b3),
                      (7, "subsample", 0x25b0_0727_d43f_3255)])
    func seedsAreTheDocumentedMixOfTheBaseAndTheNamesHash(base: UInt64, name: String, expected: UInt64) {
        #expect(StreamSeed.derive(base: base, stream: name) == expected)
    }

    @Test func differentNamesOrBasesGiveDifferentSeeds() {
        let names = ["noise", "subsample", "init", "noise2", "", "Noise"]
        for base: UInt64 in [0, 1, 2026, .max] {
            let seeds = names.map { StreamSeed.derive(base: base, stream: $0) }
            #expect(Set(seeds).count == names.count)
        }
        let bases: [UInt64] = Array(0..<1000)
        #expect(Set(bases.map { StreamSeed.derive(base: $0, stream: "noise") }).count == bases.count)
    }

    @Test func stepsDeriveStreamsFromTheChapterSeed() throws {
        let chapter = Chapter("00-seed", title: "Seed", question: "Q")
        var seen: UInt64?
        chapter.step("Draw") { ctx in seen = ctx.seed(for: "noise") }
        _ = runCapturing(chapter, ["--seed", "11", "--no-figures"])
        #expect(try #require(seen) == StreamSeed.derive(base: 11, stream: "noise"))
    }
}

@Suite struct StepProgress {
    @Test func progressLinesAreWrittenAsTheyComeButNotRecorded() throws {
        let chapter = Chapter("00-progress", title: "Progress", question: "Q")
        let console = RecordingConsole()
        var outputDuringStep: [String] = []
        chapter.step("Iterate") { ctx in
            for iteration in 1...3 {
                ctx.progress("iter \(iteration)  mean log-lik \(-100.0 / Double(iteration))")
                outputDuringStep.append(console.output)
            }
            let seconds = ctx.measure { usleepSeconds(0.005) }
            ctx.report("sleep", seconds, unit: "s")
            #expect(ctx.elapsed >= seconds)
        }
        let run = chapter.run(arguments: ["--no-figures"], console: console)
        #expect(outputDuringStep.enumerated().allSatisfy { index, text in
            text.contains("· iter \(index + 1)  mean log-lik") && !text.contains("iter \(index + 2)")
        })
        let step = try #require(run.record?.steps.first)
        #expect(step.results.map(\.label) == ["sleep"])
        #expect(step.narrative.isEmpty)
    }
}
