-- Roles of an SSPF Samordning database on PostgreSQL (security.md, "Audit"). Run as the schema's owner (the role
-- that applies db/migrations-postgres.sql), in the application's database, after every migration:
--   psql -v ON_ERROR_STOP=1 -d sspf -f db/roles-postgres.sql
-- Idempotent. The application connects as sspf_app; the owner stays a separate role that only migrates.
-- sspf_app may read and write every table, but may only INSERT and SELECT the access log and its checkpoints: an
-- entry, once written, cannot be changed or deleted by the application (and so not by anyone who takes it over) —
-- except the oldest entries, through sspf_erase_access_events (gallring, below). The hash chain
-- (GET /api/audit/verify, --verify-audit) shows whatever the owner or a superuser changes anyway.
-- Set the password outside this script: ALTER ROLE sspf_app PASSWORD '...';

DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'sspf_app') THEN
    CREATE ROLE sspf_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT;
  END IF;
END
$$;

GRANT USAGE ON SCHEMA public TO sspf_app;
REVOKE CREATE ON SCHEMA public FROM sspf_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO sspf_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO sspf_app;

-- The access log and its checkpoints: append and read only.
REVOKE UPDATE, DELETE, TRUNCATE ON "AccessEvents" FROM sspf_app;
REVOKE UPDATE, DELETE, TRUNCATE ON "AuditCheckpoints" FROM sspf_app;

-- Gallring of the access log: the one way the application may delete access events. Owned by the role running this
-- script (the schema's owner) and running with its rights, it deletes only the oldest events up to an anchor
-- checkpoint that lies on the chain (an event at that sequence with that hash), and never the head. The retention job
-- writes the anchor first, so the first remaining event still verifies (its previous hash is the anchor's hash).
CREATE OR REPLACE FUNCTION sspf_erase_access_events(p_through bigint) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  erased bigint;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM "AuditCheckpoints" c JOIN "AccessEvents" e ON e."Sequence" = c."Sequence" AND e."Hash" = c."Hash"
                 WHERE c."Sequence" = p_through AND c."Kind" = 'Anchor') THEN
    RAISE EXCEPTION 'no anchor checkpoint on the chain at access event %', p_through;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM "AccessEvents" WHERE "Sequence" > p_through) THEN
    RAISE EXCEPTION 'the head of the access log is never erased';
  END IF;
  DELETE FROM "AccessEvents" WHERE "Sequence" <= p_through;
  GET DIAGNOSTICS erased = ROW_COUNT;
  RETURN erased;
END
$$;
REVOKE ALL ON FUNCTION sspf_erase_access_events(bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION sspf_erase_access_events(bigint) TO sspf_app;
-- The migration history is the owner's.
REVOKE INSERT, UPDATE, DELETE ON "__EFMigrationsHistory" FROM sspf_app;

-- ===== Hangfire job storage (schema "hangfire") — BEGIN =====================================================
-- Hangfire's tables live in their own schema, created and upgraded by the owner with the app's `--migrate`; the
-- app never creates them at start (PrepareSchemaIfNecessary is off). sspf_app gets what
-- Hangfire needs at run time — rows and sequences, LISTEN/NOTIFY needs nothing — but no DDL. Skipped (run this script
-- again after --migrate) while the schema does not exist.
DO $$
BEGIN
  IF EXISTS (SELECT FROM pg_namespace WHERE nspname = 'hangfire') THEN
    GRANT USAGE ON SCHEMA hangfire TO sspf_app;
    REVOKE CREATE ON SCHEMA hangfire FROM sspf_app;
    GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA hangfire TO sspf_app;
    REVOKE TRUNCATE, REFERENCES, TRIGGER ON ALL TABLES IN SCHEMA hangfire FROM sspf_app;
    GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA hangfire TO sspf_app;
    -- Hangfire's schema version is the owner's.
    REVOKE INSERT, UPDATE, DELETE ON hangfire."schema" FROM sspf_app;
  END IF;
END
$$;
-- ===== Hangfire job storage — END ===========================================================================
