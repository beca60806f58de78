import Domain
import Foundation
import Queue
import Storage
import Support

/// Runs the stage table's jobs for a worker pool: each job's work gets the worker's
/// connection and this process's object store, scratch folder and Python tools. Workers
/// need an object store for every stage that moves media, so there is no handler without one.
public struct StageHandler: JobHandler {
    public let stages: [Stage]
    public let storage: any ObjectStore
    public let scratch: URL
    public let tools: PythonTools?
    public let settings: StageSettings

    public init(stages: [Stage] = StageTable.all, storage: any ObjectStore, scratch: URL, tools: PythonTools?,
                settings: StageSettings = StageSettings()) {
        self.settings = settings
        self.stages = stages
        self.storage = storage
        self.scratch = scratch
        self.tools = tools
    }

    public var runnableStages: [String] { stages.filter { $0.work != nil }.map(\.name) }

    public var subjects: any JobSubjects { StageTransitions(stages: stages) }

    public func perform(_ job: Job, context: JobContext) throws -> JobCompletion {
        guard let work = stages.first(where: { $0.name == job.stage })?.work else {
            throw PermanentFailure("no stage named \"\(job.stage)\" is built into this heaters")
        }
        let services = StageServices(database: context.database, storage: storage, scratch: scratch, tools: tools,
                                     settings: settings)
        let result = try work(StageContext(job: job, services: services, progress: context.progress,
                                           isCancelled: context.isCancelled))
        return JobCompletion(result: result.json, commit: result.commit)
    }
}
