import CLibPQ

/// Facts about the linked libpq, read from the library itself (so a version proves it
/// loaded), for `heaters doctor`.
public enum LibPQ {
    /// e.g. "15.8" (libpq reports major * 10000 + minor).
    public static var version: String {
        let v = Int(PQlibVersion())
        return "\(v / 10000).\(v % 10000)"
    }
}
