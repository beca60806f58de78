/// pgvector for embeddings; btree_gist so an exclusion constraint can mix equality on a
/// source id with overlap of frame ranges.
enum Migration0001Extensions {
    static let migration = Migration(version: 1, name: "extensions", sql: """
        CREATE EXTENSION IF NOT EXISTS vector;
        CREATE EXTENSION IF NOT EXISTS btree_gist;

        -- Keeps updated_at honest for every table that has one.
        CREATE OR REPLACE FUNCTION heaters_touch_updated_at() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            NEW.updated_at := now();
            RETURN NEW;
        END $$;
        """)
}
