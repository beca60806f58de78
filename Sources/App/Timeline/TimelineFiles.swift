import Foundation

/// Writes rendered timeline documents: to a file, or to several for an EDL past 999 events
/// (`cut.edl` → `cut-part1.edl`, `cut-part2.edl`, …), each written whole or not at all.
enum TimelineFiles {
    /// The paths the documents go to.
    static func paths(for output: String, count: Int) -> [String] {
        guard count > 1 else { return [output] }
        let url = URL(fileURLWithPath: output)
        let ext = url.pathExtension
        let stem = url.deletingPathExtension().path
        return (1...count).map { stem + "-part\($0)" + (ext.isEmpty ? "" : "." + ext) }
    }

    /// Writes each document to its path; an unwritable path is a message saying which and why.
    @discardableResult
    static func write(_ documents: [String], to output: String) throws -> [String] {
        let paths = paths(for: output, count: documents.count)
        let folder = URL(fileURLWithPath: output).deletingLastPathComponent().path
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
            throw CommandFailure("cannot write \(output): the folder \(folder) does not exist")
        }
        for (document, path) in zip(documents, paths) {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
                throw CommandFailure("cannot write \(path): it is a folder")
            }
            do {
                try Data(document.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
            } catch {
                throw CommandFailure("cannot write \(path): \((error as NSError).localizedDescription) (check the folder's permissions)")
            }
        }
        return paths
    }
}
