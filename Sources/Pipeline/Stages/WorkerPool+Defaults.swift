import Foundation
import Queue

extension WorkerPool.Configuration {
    /// The stage table's queues: media work is CPU-bound (one job per core by default),
    /// downloads mostly wait (4), review landings are quick (1), diagnostics 2.
    public static var defaults: WorkerPool.Configuration {
        WorkerPool.Configuration(queues: [StageTable.media: max(ProcessInfo.processInfo.activeProcessorCount, 1),
                                          StageTable.io: 4, StageTable.review: 1, StageTable.diagnostics: 2])
    }
}
