import Foundation
import Media
import Queue
import Storage

extension DownloadStage {
    /// Checks a primary download and repairs it when it does not decode cleanly (see
    /// `Normalizer`); progress 75–90% of the stage. A file beyond repair fails permanently:
    /// another attempt would download the same bytes.
    static func normalize(_ file: URL, in folder: URL, context: StageContext) throws -> Normalization {
        do {
            return try Normalizer.normalize(input: file.path, workFolder: folder.path,
                                            progress: { context.progress(0.75 + 0.15 * $0) },
                                            isCancelled: context.isCancelled)
        } catch .cancelled {
            throw JobInterruption()
        } catch .undecodable(_, let reason) {
            throw PermanentFailure("the downloaded file does not decode cleanly and could not be repaired: \(reason)")
        } catch let error where error.isOutage {
            throw error  // a full disk: wait for space, spending no attempt
        } catch .libav(let operation, _, let message) {
            // Out of memory: worth another attempt.
            throw DownloadFailure(description: "normalizing the download failed: \(operation): \(message)")
        } catch {
            throw PermanentFailure("the downloaded file could not be checked: \(error)")
        }
    }

    /// The job's result: how the source was fetched, where it is stored, and what
    /// normalization did and why.
    static func resultJSON(method: String, key: StorageKey, normalization: Normalization) throws -> String {
        struct Result: Encodable {
            var method: String
            var key: String
            var normalized: String
            var normalizeReason: String
            enum CodingKeys: String, CodingKey {
                case method, key, normalized
                case normalizeReason = "normalize_reason"
            }
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let result = Result(method: method, key: key.value, normalized: normalization.step.rawValue,
                            normalizeReason: normalization.reason)
        return String(decoding: try encoder.encode(result), as: UTF8.self)
    }
}
