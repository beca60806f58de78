/// Clips: virtual (a frame range of a source's proxy, no file) until exported. Merge and
/// split retire the originals (`retired_at`) and create new clips, linked in `clip_lineage`.
///
/// The database enforces: live clips of one source never overlap (exclusion constraint on
/// the frame range); a clip lies within [0, frame_count) of its source (trigger); a clip
/// that is not virtual has its exported file; states are checked values.
enum Migration0003Clips {
    static let migration = Migration(version: 3, name: "clips", sql: """
        CREATE TABLE clips (
            id                   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            source_video_id      bigint NOT NULL REFERENCES source_videos (id) ON DELETE CASCADE,
            -- Frames [start_frame, end_frame) of the source's proxy; seconds are derived for
            -- display and export but stored so that no reader recomputes them differently.
            start_frame          integer NOT NULL CHECK (start_frame >= 0),
            end_frame            integer NOT NULL,
            start_seconds        double precision NOT NULL CHECK (start_seconds >= 0),
            end_seconds          double precision NOT NULL,
            -- greatest(): an inverted range must reach clip_frames_ordered, not fail in int4range.
            frames               int4range GENERATED ALWAYS AS (int4range(start_frame, greatest(start_frame, end_frame))) STORED,
            state                text NOT NULL DEFAULT 'pending_review' CHECK (state IN (
                                     'pending_review', 'review_approved', 'review_skipped', 'review_archived',
                                     'exporting', 'exported', 'export_failed',
                                     'keyframing', 'keyframed', 'keyframe_failed',
                                     'embedding', 'embedded', 'embedding_failed',
                                     'archived', 'archive_failed')),
            is_virtual           boolean NOT NULL DEFAULT true,
            clip_key             text,
            grouped_with_clip_id bigint REFERENCES clips (id) ON DELETE SET NULL,
            tags                 text[] NOT NULL DEFAULT '{}',
            -- Set when a merge or split replaced this clip; retired clips are history only.
            retired_at           timestamptz,
            retired_by           text CHECK (retired_by IN ('merge', 'split')),
            reviewed_at          timestamptz,
            reviewed_by          text,
            error_message        text,
            retry_count          integer NOT NULL DEFAULT 0 CHECK (retry_count >= 0),
            processing_metadata  jsonb NOT NULL DEFAULT '{}',
            created_at           timestamptz NOT NULL DEFAULT now(),
            updated_at           timestamptz NOT NULL DEFAULT now(),
            CONSTRAINT clip_frames_ordered CHECK (end_frame > start_frame),
            CONSTRAINT clip_seconds_ordered CHECK (end_seconds > start_seconds),
            CONSTRAINT physical_clip_has_file CHECK (is_virtual OR clip_key IS NOT NULL),
            CONSTRAINT retired_has_reason CHECK ((retired_at IS NULL) = (retired_by IS NULL)),
            CONSTRAINT not_grouped_with_itself CHECK (grouped_with_clip_id <> id),
            -- Deferrable so one transaction can retire originals and insert their replacement.
            CONSTRAINT live_clips_do_not_overlap EXCLUDE USING gist (
                source_video_id WITH =, frames WITH &&) WHERE (retired_at IS NULL)
                DEFERRABLE INITIALLY IMMEDIATE
        );
        CREATE INDEX clips_state_idx ON clips (state) WHERE retired_at IS NULL;
        CREATE INDEX clips_source_idx ON clips (source_video_id, start_frame);
        CREATE TRIGGER clips_touch BEFORE UPDATE ON clips
            FOR EACH ROW EXECUTE FUNCTION heaters_touch_updated_at();

        -- A clip must lie inside its source: [0, frame_count). A constraint cannot look at
        -- another table, so a trigger does, raising check_violation like a CHECK would.
        CREATE FUNCTION heaters_clip_within_source() RETURNS trigger
        LANGUAGE plpgsql AS $$
        DECLARE
            total integer;
        BEGIN
            SELECT frame_count INTO total FROM source_videos WHERE id = NEW.source_video_id FOR SHARE;
            IF total IS NULL THEN
                RAISE EXCEPTION 'clip frames [%, %) of source % cannot be checked: the source has no frame count yet',
                    NEW.start_frame, NEW.end_frame, NEW.source_video_id
                    USING ERRCODE = 'check_violation', CONSTRAINT = 'clip_within_source';
            END IF;
            IF NEW.end_frame > total THEN
                RAISE EXCEPTION 'clip frames [%, %) lie outside source % which has % frames',
                    NEW.start_frame, NEW.end_frame, NEW.source_video_id, total
                    USING ERRCODE = 'check_violation', CONSTRAINT = 'clip_within_source';
            END IF;
            RETURN NEW;
        END $$;
        CREATE TRIGGER clips_within_source BEFORE INSERT OR UPDATE OF start_frame, end_frame, source_video_id
            ON clips FOR EACH ROW EXECUTE FUNCTION heaters_clip_within_source();

        -- …and a source cannot shrink below its live clips.
        CREATE FUNCTION heaters_source_keeps_its_clips() RETURNS trigger
        LANGUAGE plpgsql AS $$
        DECLARE
            last_frame integer;
        BEGIN
            SELECT max(end_frame) INTO last_frame FROM clips
                WHERE source_video_id = NEW.id AND retired_at IS NULL;
            IF last_frame IS NOT NULL AND (NEW.frame_count IS NULL OR last_frame > NEW.frame_count) THEN
                RAISE EXCEPTION 'source % has clips up to frame %, so its frame count cannot be %',
                    NEW.id, last_frame, NEW.frame_count
                    USING ERRCODE = 'check_violation', CONSTRAINT = 'clip_within_source';
            END IF;
            RETURN NEW;
        END $$;
        CREATE TRIGGER source_videos_keep_clips BEFORE UPDATE OF frame_count ON source_videos
            FOR EACH ROW EXECUTE FUNCTION heaters_source_keeps_its_clips();

        -- Where merged and split clips came from.
        CREATE TABLE clip_lineage (
            parent_clip_id bigint NOT NULL REFERENCES clips (id) ON DELETE CASCADE,
            child_clip_id  bigint NOT NULL REFERENCES clips (id) ON DELETE CASCADE,
            operation      text NOT NULL CHECK (operation IN ('merge', 'split')),
            created_at     timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (parent_clip_id, child_clip_id),
            CHECK (parent_clip_id <> child_clip_id)
        );
        CREATE INDEX clip_lineage_child_idx ON clip_lineage (child_clip_id);
        """)
}
