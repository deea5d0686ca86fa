import ArgumentParser

/// `workbook`: the workbook's command line. Each subcommand lives in its own file.
struct WorkbookCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "workbook",
        abstract: "EM for Gaussian mixtures and image denoising with patch priors: the chapters.",
        subcommands: [ListCommand.self, RunCommand.self, FitCommand.self, DenoiseCommand.self, RestoreCommand.self, BenchCommand.self,
                      ReportCommand.self]
    )
}
