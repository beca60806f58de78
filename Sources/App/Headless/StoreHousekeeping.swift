import Logging
import Storage

/// Start-up care of the object store: what a killed process left half-written.
enum StoreHousekeeping {
    /// A local store's temporary files of writes whose process died (kill -9 during a put).
    static func sweepAbandonedWrites(in storage: any ObjectStore) {
        guard let local = storage as? LocalObjectStore else { return }
        let removed = local.sweepAbandonedWrites()
        if !removed.isEmpty {
            Logger(label: "heaters.storage").notice("removed the partial files of writes a dead process left",
                                                    metadata: ["files": "\(removed.count)"])
        }
    }
}
