-- Roles of an SSPF Samordning database on PostgreSQL (security.md, "Audit"). Run as the schema's owner (the role
-- that applies db/migrations-postgres.sql), in the application's database, after every migration:
--   psql -v ON_ERROR_STOP=1 -d sspf -f db/roles-postgres.sql
-- Idempotent. The application connects as sspf_app; the owner stays a separate role that only migrates.
-- sspf_app may read and write every table, but may only INSERT and SELECT the access log: an entry, once written,
-- cannot be changed or deleted by the application (and so not by anyone who takes it over). The hash chain
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

-- The access log: append and read only.
REVOKE UPDATE, DELETE, TRUNCATE ON "AccessEvents" FROM sspf_app;
-- The migration history is the owner's.
REVOKE INSERT, UPDATE, DELETE ON "__EFMigrationsHistory" FROM sspf_app;
