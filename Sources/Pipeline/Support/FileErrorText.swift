import Foundation

/// Foundation's file errors in words: they describe themselves as `Error Domain=
/// NSCocoaErrorDomain Code=512 "(null)" UserInfo={…}`; this is the file and the system's
/// reason instead (and, where a file stands where a folder belongs, which one). Any other
/// error is described as it describes itself.
public enum FileErrorText {
    public static func describe(_ error: any Error) -> String {
        let ns = error as NSError
        guard ns.domain == NSCocoaErrorDomain || ns.domain == NSPOSIXErrorDomain else { return "\(error)" }
        let path = ns.userInfo[NSFilePathErrorKey] as? String ?? (ns.userInfo[NSURLErrorKey] as? URL)?.path
        var reason = ns.localizedFailureReason ?? ns.localizedDescription
        let underlying = ns.userInfo.values.compactMap { $0 as? any Error }.map { $0 as NSError }
            .first { $0.domain == NSPOSIXErrorDomain }
        let posix = underlying?.code ?? (ns.domain == NSPOSIXErrorDomain ? ns.code : nil)
        if let posix { reason = String(cString: strerror(Int32(posix))) }
        // A file where a folder belongs (EEXIST, ENOTDIR): say which.
        var isDirectory: ObjCBool = false
        if let path, posix == Int(ENOTDIR) || posix == Int(EEXIST) || ns.code == CocoaError.fileWriteFileExists.rawValue {
            var blocked = path
            while !blocked.isEmpty && blocked != "/" && !FileManager.default.fileExists(atPath: blocked, isDirectory: &isDirectory) {
                blocked = (blocked as NSString).deletingLastPathComponent
            }
            if blocked != "/", !isDirectory.boolValue, FileManager.default.fileExists(atPath: blocked) {
                return "\(path): \(reason) (\(blocked) is a file, not a folder)"
            }
        }
        return path.map { "\($0): \(reason)" } ?? reason
    }
}
