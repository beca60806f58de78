/// The review engine: clip versions (a stale decision is refused), the end of each clip's
/// undo window (no stage takes a decided clip before it), holds of scheduled merges and
/// splits, reviewer sessions and their claims, and the log's request ids, batches, landing
/// and undo. The database enforces: a clip is held by one action at most, and a held clip
/// cannot change; a clip is claimed by one session at most; a request applies once.
enum Migration0009Review {
    static let migration = Migration(version: 9, name: "review", sql: """
        -- Every change to a clip row makes a new version; decisions and undos compare them.
        ALTER TABLE clips ADD COLUMN version integer NOT NULL DEFAULT 1 CHECK (version > 0);
        -- The end of the undo window of the clip's latest decision.
        ALTER TABLE clips ADD COLUMN settles_at timestamptz;
        CREATE FUNCTION heaters_clip_next_version() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            NEW.version := OLD.version + 1;
            RETURN NEW;
        END $$;
        CREATE TRIGGER clips_version BEFORE UPDATE ON clips
            FOR EACH ROW EXECUTE FUNCTION heaters_clip_next_version();
        -- Clips made by a merge or split are retired again when it is undone.
        ALTER TABLE clips DROP CONSTRAINT clips_retired_by_check;
        ALTER TABLE clips ADD CONSTRAINT clips_retired_by_check CHECK (retired_by IN ('merge', 'split', 'undo'));
        CREATE INDEX clips_settling_idx ON clips (settles_at) WHERE retired_at IS NULL AND settles_at IS NOT NULL;
        -- "The clip before": the live clip of the source that ends where this one starts.
        CREATE INDEX clips_source_end_idx ON clips (source_video_id, end_frame) WHERE retired_at IS NULL;

        ALTER TABLE review_actions DROP CONSTRAINT review_actions_action_check;
        ALTER TABLE review_actions ADD CONSTRAINT review_actions_action_check CHECK (action IN (
            'approve', 'skip', 'archive', 'group', 'merge', 'split', 'tag', 'untag', 'undo'));
        ALTER TABLE review_actions
            -- The reviewer session (a terminal) that took it; NULL from the command line.
            ADD COLUMN session_id  text,
            -- Decisions taken together carry one batch id and are undone together.
            ADD COLUMN batch_id    uuid,
            -- The decision's request id (and its place in a batch): applying it twice changes nothing.
            ADD COLUMN request_id  uuid,
            ADD COLUMN request_seq integer NOT NULL DEFAULT 0,
            -- The end of the undo window; for a merge or split, when it lands.
            ADD COLUMN settles_at  timestamptz,
            ADD COLUMN landed_at   timestamptz,
            ADD COLUMN failed_at   timestamptz,
            ADD COLUMN error       text,
            -- The undo action that undid this one.
            ADD COLUMN undone_by   bigint REFERENCES review_actions (id),
            ADD CONSTRAINT undone_has_time CHECK ((undone_by IS NULL) OR (undone_at IS NOT NULL)),
            ADD CONSTRAINT lands_once CHECK (landed_at IS NULL OR failed_at IS NULL);
        CREATE UNIQUE INDEX review_actions_request_idx ON review_actions (request_id, request_seq)
            WHERE request_id IS NOT NULL;
        CREATE INDEX review_actions_batch_idx ON review_actions (batch_id) WHERE batch_id IS NOT NULL;
        CREATE INDEX review_actions_scheduled_idx ON review_actions (settles_at)
            WHERE action IN ('merge', 'split') AND landed_at IS NULL AND failed_at IS NULL AND undone_at IS NULL;

        -- The clips an action touched or created, and each one's version right after it.
        CREATE TABLE review_action_clips (
            action_id     bigint NOT NULL REFERENCES review_actions (id) ON DELETE CASCADE,
            clip_id       bigint NOT NULL REFERENCES clips (id) ON DELETE CASCADE,
            role          text NOT NULL CHECK (role IN ('touched', 'created')),
            -- NULL until a scheduled merge or split lands.
            version_after integer,
            PRIMARY KEY (action_id, clip_id)
        );
        CREATE INDEX review_action_clips_clip_idx ON review_action_clips (clip_id, action_id DESC);

        -- A scheduled merge or split holds its clips until it lands or is undone.
        CREATE TABLE review_holds (
            clip_id    bigint PRIMARY KEY REFERENCES clips (id) ON DELETE CASCADE,
            action_id  bigint NOT NULL REFERENCES review_actions (id) ON DELETE CASCADE,
            created_at timestamptz NOT NULL DEFAULT now()
        );
        CREATE INDEX review_holds_action_idx ON review_holds (action_id);
        CREATE FUNCTION heaters_held_clip_is_frozen() RETURNS trigger
        LANGUAGE plpgsql AS $$
        DECLARE
            holder bigint;
        BEGIN
            SELECT action_id INTO holder FROM review_holds WHERE clip_id = OLD.id;
            IF holder IS NOT NULL THEN
                RAISE EXCEPTION 'clip % is held by scheduled review action %', OLD.id, holder
                    USING ERRCODE = 'check_violation', CONSTRAINT = 'held_clip_is_frozen';
            END IF;
            RETURN NEW;
        END $$;
        CREATE TRIGGER clips_held_frozen BEFORE UPDATE ON clips
            FOR EACH ROW EXECUTE FUNCTION heaters_held_clip_is_frozen();

        ALTER TABLE clip_lineage
            ADD COLUMN action_id bigint REFERENCES review_actions (id),
            ADD COLUMN undone_at timestamptz;

        -- A reviewer at a terminal: alive while its lease is renewed.
        CREATE TABLE review_sessions (
            id         text PRIMARY KEY,
            reviewer   text NOT NULL,
            host       text NOT NULL,
            pid        integer,
            started_at timestamptz NOT NULL DEFAULT now(),
            expires_at timestamptz NOT NULL,
            ended_at   timestamptz
        );
        -- The clips a session is looking at: one session per clip.
        CREATE TABLE review_claims (
            clip_id    bigint PRIMARY KEY REFERENCES clips (id) ON DELETE CASCADE,
            session_id text NOT NULL REFERENCES review_sessions (id) ON DELETE CASCADE,
            claimed_at timestamptz NOT NULL DEFAULT now()
        );
        CREATE INDEX review_claims_session_idx ON review_claims (session_id);

        -- Review jobs are about a review action.
        ALTER TABLE jobs DROP CONSTRAINT jobs_subject_type_check;
        ALTER TABLE jobs ADD CONSTRAINT jobs_subject_type_check
            CHECK (subject_type IN ('source_video', 'clip', 'none', 'review_action'));
        """)
}
