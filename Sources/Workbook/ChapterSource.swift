/// A chapter's `main.swift`, split into what the report weaves: the introduction (the
/// leading `///` comment: the question and the derivation, in Markdown with LaTeX math),
/// then, in source order, top-level code and the steps.
///
/// A step is `chapter.step("Title") { ctx in … }` or `chapter.figure("Title") { … }` with
/// its closing brace alone at the start of a line; inside it, `///` lines are the narrative
/// (prose) and the other lines its code, in the order they are written.
public struct ChapterSource: Equatable, Sendable {
    /// The leading `///` comment as Markdown (without the `///`).
    public var introduction: String
    /// Top-level code and steps, in source order (imports and the final `chapter.run()`
    /// left out).
    public var blocks: [Block]

    public init(introduction: String, blocks: [Block]) {
        self.introduction = introduction
        self.blocks = blocks
    }

    public enum Block: Equatable, Sendable {
        /// Top-level code: the chapter's declaration, its shared state and helpers.
        case code(String)
        case step(Step)
    }

    /// One step of the chapter, as written.
    public struct Step: Equatable, Sendable {
        /// The title literal (`"m = \(m)"` keeps its interpolation).
        public var title: StringTemplate
        /// Whether it is a figure step (`chapter.figure`).
        public var isFigure: Bool
        /// Its narrative and code, in source order.
        public var segments: [Segment]
        /// The names it gives the figures it writes (`name: "mosaic-m\(m)"`), in order.
        public var figureNames: [StringTemplate]
        /// The line of the step's opening in the source, from 1.
        public var line: Int

        public init(
            title: StringTemplate, isFigure: Bool, segments: [Segment],
            figureNames: [StringTemplate], line: Int
        ) {
            self.title = title
            self.isFigure = isFigure
            self.segments = segments
            self.figureNames = figureNames
            self.line = line
        }
    }

    /// A run of narrative or of code inside a step.
    public enum Segment: Equatable, Sendable {
        /// Markdown from consecutive `///` lines.
        case prose(String)
        /// Code, indented relative to the step body.
        case code(String)
    }

    /// The steps, in order.
    public var steps: [Step] {
        blocks.compactMap { if case let .step(step) = $0 { step } else { nil } }
    }
}
