-- The Prefect server gets its own database beside Openings' (POSTGRES_DB), so each is migrated,
-- backed up and dropped on its own.
CREATE DATABASE prefect OWNER openings;
