/// A figure: a value that knows how to draw itself with gnuplot.
///
/// `FigureWriter.write(_:name:)` asks for the drawing, saves the commands as a script around
/// which it puts the terminal settings, saves the data beside it, and runs the script.
public protocol Figure: Sendable {
    /// The gnuplot commands that draw the figure on a canvas of `drawing.canvasSize` pixels,
    /// reading their data from the file named `dataFile` (in the script's directory).
    /// Throws `FigureProblem` when the figure's data are inconsistent.
    func drawing(dataFile: String) throws -> FigureDrawing
}

/// The size of a PNG canvas in pixels (the PDF has the same proportions at 144 pixels per inch).
public struct PixelSize: Sendable, Hashable, CustomStringConvertible {
    public var width: Int
    public var height: Int
    public init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }
    public var description: String { "\(width)x\(height)" }
}

/// What a figure hands to the writer: the canvas, the drawing commands and the data file.
public struct FigureDrawing: Sendable {
    /// The PNG size in pixels.
    public var canvasSize: PixelSize
    /// gnuplot commands, run after the terminal and output are set and after `reset`.
    public var commands: [String]
    /// The contents of the data file the commands read.
    public var data: String

    public init(canvasSize: PixelSize, commands: [String], data: String) {
        self.canvasSize = canvasSize
        self.commands = commands
        self.data = data
    }
}
