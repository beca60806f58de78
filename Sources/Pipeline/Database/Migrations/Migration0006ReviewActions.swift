/// The review log: every decision a reviewer made, what it changed, and whether it was undone.
enum Migration0006ReviewActions {
    static let migration = Migration(version: 6, name: "review_actions", sql: """
        CREATE TABLE review_actions (
            id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            clip_id        bigint NOT NULL REFERENCES clips (id) ON DELETE CASCADE,
            action         text NOT NULL CHECK (action IN (
                               'approve', 'skip', 'archive', 'group', 'merge', 'split', 'tag', 'untag')),
            reviewer       text NOT NULL,
            previous_state text,
            new_state      text,
            -- Action details: the other clip of a group/merge, the frame of a split, a tag.
            payload        jsonb NOT NULL DEFAULT '{}',
            -- The scheduled job carrying out a merge or split, so undo can cancel it.
            job_id         bigint,
            undone_at      timestamptz,
            created_at     timestamptz NOT NULL DEFAULT now()
        );
        CREATE INDEX review_actions_clip_idx ON review_actions (clip_id, created_at);
        CREATE INDEX review_actions_recent_idx ON review_actions (reviewer, created_at DESC);
        """)
}
