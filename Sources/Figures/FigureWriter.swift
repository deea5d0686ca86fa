import Foundation

/// Writes figures into one directory (e.g. `figures/01-patches/`), each as `<name>.png`,
/// `<name>.pdf`, the gnuplot script `<name>.gp` that draws them and its data `<name>.dat`.
///
/// A figure is drawn in a private staging directory inside the output directory (so on the
/// same file system): the data and script are written there, gnuplot runs the script there
/// exactly as a reader would, and only when gnuplot exits with status 0 and both images exist
/// are the four files renamed into place. A failure leaves no file behind.
public struct FigureWriter: Sendable {
    /// The directory the figures go to (created when needed).
    public let directory: String
    /// Whether `write` prints "figure: <directory>/<name>.png".
    public var announces: Bool
    /// The gnuplot executable: a name looked up on PATH, or a path.
    public var gnuplotExecutable: String

    public init(directory: String, announces: Bool = true, gnuplotExecutable: String = "gnuplot") {
        self.directory = directory
        self.announces = announces
        self.gnuplotExecutable = gnuplotExecutable
    }

    /// The files of one written figure.
    public struct Written: Sendable, Equatable {
        public let png: String
        public let pdf: String
        public let script: String
        public let data: String
    }

    /// Draws `figure` as `<name>.png` and `<name>.pdf`, with `<name>.gp` and `<name>.dat`.
    /// `name` is a plain file name (letters, digits, "-", "_", ".").
    @discardableResult
    public func write(_ figure: some Figure, name: String) throws -> Written {
        guard Self.isValidName(name) else { throw FigureError.invalidName(name) }
        let files = Written(png: name + ".png", pdf: name + ".pdf", script: name + ".gp", data: name + ".dat")
        let drawing: FigureDrawing
        do {
            drawing = try figure.drawing(dataFile: files.data)
        } catch let problem as FigureProblem {
            throw FigureError.invalidFigure(figure: name, problem: problem.description)
        }

        // Start gnuplot before touching the file system, so a missing gnuplot leaves nothing.
        let session = try GnuplotSession(executable: gnuplotExecutable)
        let directoryURL = URL(fileURLWithPath: directory, isDirectory: true)
        let staging = try Self.makeStagingDirectory(in: directoryURL, for: name)
        defer { try? FileManager.default.removeItem(at: staging) }

        try Self.save(drawing.data, to: staging.appendingPathComponent(files.data))
        try Self.save(FigureScript.text(name: name, drawing: drawing),
                      to: staging.appendingPathComponent(files.script))
        try session.command("cd \(GnuplotSyntax.quoted(staging.path))")
        try session.command("load \(GnuplotSyntax.quoted(files.script))")
        let exit = try session.close()
        guard exit.status == 0 else {
            throw FigureError.gnuplotFailed(figure: name, exitStatus: exit.status, output: exit.output)
        }
        for image in [files.png, files.pdf] where Self.fileSize(staging.appendingPathComponent(image)) == 0 {
            throw FigureError.gnuplotFailed(figure: name, exitStatus: 0, output: "the script wrote no \(image)")
        }
        for file in [files.data, files.script, files.pdf, files.png] {
            try Self.move(staging.appendingPathComponent(file), to: directoryURL.appendingPathComponent(file))
        }
        if announces { print(announcement(for: files.png)) }
        let path = { (file: String) in directoryURL.appendingPathComponent(file).path }
        return Written(png: path(files.png), pdf: path(files.pdf), script: path(files.script), data: path(files.data))
    }

    /// "figure: <directory>/<file>", with the directory as the user gave it.
    func announcement(for file: String) -> String {
        "figure: " + (directory.hasSuffix("/") ? directory + file : directory + "/" + file)
    }

    /// Creates `directory` if needed and, inside it, a fresh hidden directory for one figure.
    private static func makeStagingDirectory(in directory: URL, for name: String) throws -> URL {
        try makeDirectories(directory)
        let staging = directory.appendingPathComponent(".\(name).partial-\(UUID().uuidString.prefix(8))")
        guard mkdir(staging.path, 0o755) == 0 else {
            throw FigureError.cannotWrite(path: staging.path, reason: String(cString: strerror(errno)))
        }
        return staging
    }

    /// `mkdir -p`, reporting the system's reason ("Not a directory", "Permission denied").
    private static func makeDirectories(_ directory: URL) throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory) {
            if isDirectory.boolValue { return }
            throw FigureError.cannotWrite(path: directory.path, reason: "it exists and is not a directory")
        }
        let parent = directory.deletingLastPathComponent()
        if parent.path != directory.path { try makeDirectories(parent) }
        guard mkdir(directory.path, 0o755) == 0 || errno == EEXIST else {  // EEXIST: made meanwhile
            throw FigureError.cannotWrite(path: directory.path, reason: String(cString: strerror(errno)))
        }
    }

    /// Renames `source` to `target`, replacing it atomically (same file system).
    private static func move(_ source: URL, to target: URL) throws {
        guard rename(source.path, target.path) == 0 else {
            throw FigureError.cannotWrite(path: target.path, reason: String(cString: strerror(errno)))
        }
    }

    private static func fileSize(_ url: URL) -> Int {
        (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 0
    }

    private static func save(_ text: String, to url: URL) throws {
        do {
            try Data(text.utf8).write(to: url)
        } catch {
            throw FigureError.cannotWrite(path: url.path, reason: reason(error))
        }
    }

    private static func reason(_ error: Error) -> String {
        // On Linux the underlying error is a `POSIXError`, which `as? NSError` does not match.
        if let underlying = (error as NSError).userInfo[NSUnderlyingErrorKey] as? any Error,
           (underlying as NSError).domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32((underlying as NSError).code)))
        }
        return (error as NSError).localizedDescription
    }

    /// A plain file name: starts with a letter or digit, then letters, digits, "-", "_", ".".
    static func isValidName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first.isASCIIAlphanumeric else { return false }
        return name.unicodeScalars.allSatisfy { $0.isASCIIAlphanumeric || "-_.".unicodeScalars.contains($0) }
    }
}

private extension Unicode.Scalar {
    var isASCIIAlphanumeric: Bool {
        ("a"..."z").contains(self) || ("A"..."Z").contains(self) || ("0"..."9").contains(self)
    }
}
