/// One numbered schema change. The SQL is constant text, applied once in a transaction and
/// recorded in `schema_migrations`; a new change is a new file and a new entry in `all`.
public struct Migration: Sendable {
    public let version: Int
    public let name: String
    public let sql: StaticString

    /// Every migration, in order.
    public static let all: [Migration] = [
        Migration0001Extensions.migration,
        Migration0002SourceVideos.migration,
        Migration0003Clips.migration,
        Migration0004Artifacts.migration,
        Migration0005Embeddings.migration,
        Migration0006ReviewActions.migration,
        Migration0007Jobs.migration,
        Migration0008JobAttempts.migration,
        Migration0009Review.migration,
        Migration0010Similarity.migration,
        Migration0011Archive.migration,
        Migration0012NearestClips.migration,
        Migration0013HNSWBuildQuality.migration,
        Migration0014SourceTimecode.migration,
        Migration0015JobLosses.migration,
        Migration0016JobOutages.migration,
        Migration0017SettlingIndex.migration,
        Migration0018ClipStateCounts.migration,
        Migration0019JobStateCounts.migration,
    ]
}
