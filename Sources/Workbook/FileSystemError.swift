import Foundation

/// A Foundation file error said plainly. Foundation's own errors describe themselves as
/// "Error Domain=NSCocoaErrorDomain Code=512 "(null)" UserInfo={...}"; this names the file
/// and the system's reason instead ("'/out/figs': Not a directory").
struct FileSystemError: Error, CustomStringConvertible {
    let description: String

    /// `error` itself, unless it is a Foundation file error: then the file and the reason.
    static func readable(_ error: any Error) -> any Error {
        let ns = error as NSError
        guard ns.domain == NSCocoaErrorDomain else { return error }
        let path = (ns.userInfo[NSFilePathErrorKey] as? String) ?? (ns.userInfo[NSURLErrorKey] as? URL)?.path
        let reason: String
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? any Error,
           (underlying as NSError).domain == NSPOSIXErrorDomain {
            reason = String(cString: strerror(Int32((underlying as NSError).code)))
        } else {
            reason = "file system error \(ns.code)"
        }
        return FileSystemError(description: path.map { "'\($0)': \(reason)" } ?? reason)
    }
}
