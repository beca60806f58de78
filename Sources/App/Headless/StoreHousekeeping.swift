import Logging
import Storage

/// Start-up care of the object store: what a killed process left half-written.
enum StoreHousekeeping {
    /// A local store's temporary files of writes whose process died (kill -9 during a put), and
    /// an S3 store's multipart uploads left unfinished for a day.
    static func sweepAbandonedWrites(in storage: any ObjectStore) {
        if let s3 = storage as? S3ObjectStore {
            // Multipart uploads a killed process left (their parts are stored and billed).
            do {
                let aborted = try s3.abortAbandonedUploads()
                if !aborted.isEmpty {
                    Logger(label: "heaters.storage").notice("aborted multipart uploads a dead process left",
                                                            metadata: ["uploads": "\(aborted.count)"])
                }
            } catch {
                Logger(label: "heaters.storage").warning("could not list unfinished multipart uploads", metadata: ["error": "\(error)"])
            }
            return
        }
        guard let local = storage as? LocalObjectStore else { return }
        let removed = local.sweepAbandonedWrites()
        if !removed.isEmpty {
            Logger(label: "heaters.storage").notice("removed the partial files of writes a dead process left",
                                                    metadata: ["files": "\(removed.count)"])
        }
    }
}
