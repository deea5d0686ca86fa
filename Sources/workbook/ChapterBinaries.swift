import Foundation

/// Where the chapter executables are, for the commands that launch them (`run`, `report`).
enum ChapterBinaries {
    /// `option` (`--binaries`), or the directory holding the running `workbook` executable.
    static func directory(_ option: String?) -> URL {
        if let option {
            return URL(fileURLWithPath: option, isDirectory: true)
        }
        let executable = Bundle.main.executableURL
            ?? URL(fileURLWithPath: CommandLine.arguments[0])
        return executable.resolvingSymlinksInPath().deletingLastPathComponent()
    }
}
