import Database
import Foundation
import Media
import Support
import Queue
import Storage

/// Preprocess: the stored original becomes the gold master (FFV1/MKV) and the review proxy
/// (all-intra H.264 MP4) in one libav pass, plus the proxy's frame index. Outputs go to
/// deterministic keys, so a rerun after a crash overwrites rather than duplicates; the
/// database learns about them only after all three are stored.
enum PreprocessStage {
    static func work(_ context: StageContext) throws -> StageResult {
        let services = context.services
        let storage = services.storage
        let id = context.job.subjectID
        guard let original = try SourceVideoQueries.originalKey(services.database, id: id).flatMap({ try? StorageKey($0) }) else {
            throw PermanentFailure("source \(id) has no stored original to preprocess")
        }
        let folder = try context.freshScratchFolder("preprocess")
        defer { try? FileManager.default.removeItem(at: folder) }

        let input = try storage.readableFile(
            key: original, downloadingTo: folder.appendingPathComponent("original.\(original.value.split(separator: ".").last ?? "bin")"))
        let goldFile = folder.appendingPathComponent("gold.mkv"), proxyFile = folder.appendingPathComponent("proxy.mp4")
        let result: PreprocessResult
        do {
            result = try Preprocessor.run(input: input.path, goldMaster: goldFile.path, proxy: proxyFile.path,
                                          progress: { context.progress(0.05 + 0.85 * $0) },
                                          isCancelled: context.isCancelled)
        } catch let error as MediaError {
            switch error {
            case .cancelled: throw JobInterruption()
            case .libav where error.isOutage:
                throw DiskFull(cause: error, folder: folder.deletingLastPathComponent(),
                               hint: "the lossless gold master needs several times the original's size")
            case .libav: throw error  // may be transient (memory)
            default: throw PermanentFailure("\(error)")  // the input itself is bad
            }
        }
        let index = try FrameIndexBuilder.build(proxy: proxyFile.path)
        guard index.frameCount == result.frameCount else {
            throw PreprocessFailure(description: "the proxy has \(index.frameCount) frames, the pass reported \(result.frameCount)")
        }
        let base = ["sources", String(id)]
        let goldKey = try StorageKey((base + ["gold.mkv"]).joined(separator: "/"))
        let proxyKey = try StorageKey((base + ["proxy.mp4"]).joined(separator: "/"))
        let indexKey = try StorageKey((base + ["frames.idx"]).joined(separator: "/"))
        try storage.put(file: goldFile, key: goldKey)
        Failpoint.hit("preprocess-stored")  // between the puts: some objects stored, none recorded
        try storage.put(file: proxyFile, key: proxyKey)
        try storage.put(data: try index.encoded(), key: indexKey)
        context.progress(0.98)
        let done = result
        // Recorded in the transaction that completes the job, after its lease is checked: a
        // worker whose job was taken over (it stalled) writes nothing over the new attempt's.
        return StageResult(json: "{\"frames\": \(result.frameCount), \"proxy\": \"\(result.proxyWidth)x\(result.proxyHeight)\"}") { tx in
            try SourceVideoQueries.recordPreprocessed(tx, id: id, gold: goldKey.value, proxy: proxyKey.value, index: indexKey.value,
                                                      frameCount: done.frameCount,
                                                      frameRate: (Int(done.frameRate.numerator), Int(done.frameRate.denominator)),
                                                      startTimecode: done.startTimecode, retimed: done.retimedFrames > 0)
        }
    }

    struct PreprocessFailure: Error, CustomStringConvertible {
        let description: String
    }
}
