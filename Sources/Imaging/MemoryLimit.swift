#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The machine's physical memory in bytes (pages × page size, from `sysconf`).
///
/// Swift cannot recover from a failed allocation (the process stops with "failed to
/// allocate"), so anything sized by user input that would need more than this is refused
/// beforehand with an `ImageError.exceedsMemory`.
public let physicalMemoryBytes: Int = {
    let pages = sysconf(Int32(_SC_PHYS_PAGES)), pageSize = sysconf(Int32(_SC_PAGESIZE))
    guard pages > 0, pageSize > 0 else { return Int.max }
    let (bytes, overflow) = pages.multipliedReportingOverflow(by: pageSize)
    return overflow ? Int.max : bytes
}()

/// Throws `ImageError.exceedsMemory` unless `count` values of `bytesEach` bytes (the product
/// checked for overflow) fit in the machine's physical memory; `what` names them.
public func requireMemory(for count: Int, of bytesEach: Int, what: String) throws(ImageError) {
    let (bytes, overflow) = count.multipliedReportingOverflow(by: bytesEach)
    guard !overflow, bytes <= physicalMemoryBytes else {
        throw .exceedsMemory(what: what, bytes: overflow ? Int.max : bytes, available: physicalMemoryBytes)
    }
}

/// A byte count for messages: "51.2 GB".
public func gigabytes(_ bytes: Int) -> String {
    let value = Double(bytes) / 1e9
    return value >= 100 ? "\(Int(value.rounded())) GB" : "\((value * 10).rounded() / 10) GB"
}
