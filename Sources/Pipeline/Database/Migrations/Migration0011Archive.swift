/// Archiving a clip: its row stays as a tombstone while its file, keyframes and embeddings
/// go, in the safe order. The database changes first and, in the same transaction, records
/// the storage keys to delete in an outbox (`storage_deletions`); the objects are deleted
/// after, and each outbox row with its object, so a crash in between leaves rows that a
/// retry finishes.
///
/// The database enforces: only a clip being archived (or archived) can have keys queued for
/// deletion, so nothing of a live, published clip is ever deleted by mistake; an archived
/// clip has no file any more.
enum Migration0011Archive {
    static let migration = Migration(version: 11, name: "archive", sql: """
        CREATE TABLE storage_deletions (
            id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            clip_id     bigint NOT NULL REFERENCES clips (id) ON DELETE CASCADE,
            storage_key text NOT NULL UNIQUE,
            created_at  timestamptz NOT NULL DEFAULT now()
        );
        CREATE INDEX storage_deletions_clip_idx ON storage_deletions (clip_id);

        CREATE FUNCTION heaters_deletion_of_archived_clip() RETURNS trigger
        LANGUAGE plpgsql AS $$
        DECLARE
            clip_state text;
        BEGIN
            SELECT state INTO clip_state FROM clips WHERE id = NEW.clip_id FOR SHARE;
            IF clip_state IS DISTINCT FROM 'review_archived' AND clip_state IS DISTINCT FROM 'archived' THEN
                RAISE EXCEPTION 'storage key % of clip % cannot be queued for deletion: the clip is %, not archived',
                    NEW.storage_key, NEW.clip_id, coalesce(clip_state, 'missing')
                    USING ERRCODE = 'check_violation', CONSTRAINT = 'deletion_of_archived_clip';
            END IF;
            RETURN NEW;
        END $$;
        CREATE TRIGGER storage_deletions_archived_only BEFORE INSERT OR UPDATE ON storage_deletions
            FOR EACH ROW EXECUTE FUNCTION heaters_deletion_of_archived_clip();

        ALTER TABLE clips ADD CONSTRAINT archived_clip_has_no_file CHECK (state <> 'archived' OR (clip_key IS NULL AND is_virtual));
        """)
}
