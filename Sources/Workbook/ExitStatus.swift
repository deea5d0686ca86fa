/// The exit statuses of the chapters and the `workbook` command (the project's rule).
public enum ExitStatus {
    /// Everything ran and every check passed.
    public static let success: Int32 = 0
    /// A step threw, a check failed, or a chapter launched by `workbook run` failed.
    public static let failure: Int32 = 1
    /// The command line was wrong (unknown option, invalid value, unknown chapter).
    public static let usage: Int32 = 2
}
