/// Decisions still settling (inside their undo window) are read by every `heaters status` and
/// by the station's undo tray; without an index each read scanned every decision ever made
/// (~6 ms a read at 20,000 decisions, growing with the library). The index holds the
/// decisions that can settle, ordered by when; the range after now() is the few settling.
/// Its predicate is the queries' own (ReviewActionQueries.settling, StatusQueries.reviewCounts).
enum Migration0017SettlingIndex {
    static let migration = Migration(version: 17, name: "settling_index", sql: """
        CREATE INDEX review_actions_settling_idx ON review_actions (settles_at, id)
            WHERE action NOT IN ('merge', 'split', 'undo') AND undone_at IS NULL;
        """)
}
