-- Roles of an SSPF Samordning database on PostgreSQL (security.md, "Audit"). Run as the schema's owner (the role
-- that applies db/migrations-postgres.sql), in the application's database, after every migration:
--   psql -v ON_ERROR_STOP=1 -d sspf -f db/roles-postgres.sql
-- Idempotent. The application connects as sspf_app; the owner stays a separate role that only migrates.
-- sspf_app may read and write every table, but may only INSERT and SELECT the access log and only INSERT head
-- checkpoints that lie on the chain: an entry, once written, cannot be changed or deleted by the application (and so
-- not by anyone who takes it over) — except entries older than the owner's retention age, through
-- sspf_erase_access_events (gallring, below). The hash chain (GET /api/audit/verify, --verify-audit) shows whatever
-- the owner or a superuser changes anyway.
-- Set the password outside this script: ALTER ROLE sspf_app PASSWORD '...';

DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname OPERATOR(pg_catalog.=) 'sspf_app') THEN
    CREATE ROLE sspf_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT;
  END IF;
END
$$;

-- Nobody but the owner creates objects in the schema (PostgreSQL before 15 lets every role do it): a role that could
-- would be able to shadow a table or operator for the owner's functions.
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO sspf_app;
REVOKE CREATE ON SCHEMA public FROM sspf_app;

-- The access log's retention age, fixed by the owner (not by the application): sspf_erase_access_events erases no
-- event younger than this many years. Change it only as the owner: UPDATE sspf_audit_settings SET access_log_retention_years = 10;
-- It must be at most the application's Retention:AccessLogYears, or gallring of the access log fails (and says why).
CREATE TABLE IF NOT EXISTS public.sspf_audit_settings (
  singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  access_log_retention_years integer NOT NULL CHECK (access_log_retention_years >= 0)
);
INSERT INTO public.sspf_audit_settings (access_log_retention_years) VALUES (5) ON CONFLICT (singleton) DO NOTHING;

GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO sspf_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO sspf_app;

REVOKE ALL ON public.sspf_audit_settings FROM sspf_app;
GRANT SELECT ON public.sspf_audit_settings TO sspf_app;

-- The access log and its checkpoints: append and read only.
REVOKE UPDATE, DELETE, TRUNCATE ON "AccessEvents" FROM sspf_app;
REVOKE UPDATE, DELETE, TRUNCATE ON "AuditCheckpoints" FROM sspf_app;

-- The application may store only head checkpoints, and only ones that lie on the chain (an event of that stripe at that
-- sequence with that hash). Anchor checkpoints — where gallring cut the chain — are written by sspf_erase_access_events alone: the
-- verifier starts the chain at an anchor, so an anchor the application could write would let it hide erased events.
-- Row-level security binds sspf_app only; the owner (and so the SECURITY DEFINER function) is not subject to it.
ALTER TABLE "AuditCheckpoints" ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS sspf_app_read ON "AuditCheckpoints";
CREATE POLICY sspf_app_read ON "AuditCheckpoints" FOR SELECT TO sspf_app USING (true);
DROP POLICY IF EXISTS sspf_app_head_on_chain ON "AuditCheckpoints";
CREATE POLICY sspf_app_head_on_chain ON "AuditCheckpoints" FOR INSERT TO sspf_app
  WITH CHECK ("Kind" OPERATOR(pg_catalog.=) 'Head' AND EXISTS (
    SELECT 1 FROM public."AccessEvents" e
    WHERE e."Stripe" OPERATOR(pg_catalog.=) "AuditCheckpoints"."Stripe" AND e."Sequence" OPERATOR(pg_catalog.=) "AuditCheckpoints"."Sequence"
      AND e."Hash" OPERATOR(pg_catalog.=) "AuditCheckpoints"."Hash"));

-- Gallring of the access log: the one way the application may delete access events. Owned by the role running this
-- script (the schema's owner) and running with its rights, it erases the events of one stripe (one of the log's chains)
-- up to p_through only when every one of them is older than sspf_audit_settings.access_log_retention_years by the
-- database's clock (not the application's), and never the stripe's head. It writes the stripe's anchor checkpoint
-- itself — the hash of the last erased event, which the first remaining event of the stripe chains onto — so the chain
-- still verifies from there. (The one-chain form, sspf_erase_access_events(bigint), is dropped.) Every name is schema-qualified and every
-- comparison names pg_catalog's operator, so nothing on the search path can change what it does.
DROP FUNCTION IF EXISTS public.sspf_erase_access_events(bigint);
DROP FUNCTION IF EXISTS public.sspf_erase_access_events(smallint, bigint);
CREATE FUNCTION public.sspf_erase_access_events(p_stripe smallint, p_through bigint) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  retention interval;
  anchor_hash text;
  youngest timestamptz;
  erased bigint;
BEGIN
  SELECT pg_catalog.make_interval(years => s.access_log_retention_years) INTO retention FROM public.sspf_audit_settings s;
  IF retention IS NULL THEN
    RAISE EXCEPTION 'no access log retention age is set (public.sspf_audit_settings)';
  END IF;
  SELECT e."Hash" INTO anchor_hash FROM public."AccessEvents" e
    WHERE e."Stripe" OPERATOR(pg_catalog.=) p_stripe AND e."Sequence" OPERATOR(pg_catalog.=) p_through;
  IF anchor_hash IS NULL THEN
    RAISE EXCEPTION 'no access event % of stripe % to anchor the chain at', p_through, p_stripe;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM public."AccessEvents" e
      WHERE e."Stripe" OPERATOR(pg_catalog.=) p_stripe AND e."Sequence" OPERATOR(pg_catalog.>) p_through) THEN
    RAISE EXCEPTION 'the head of the access log is never erased (stripe %)', p_stripe;
  END IF;
  SELECT pg_catalog.max(e."At") INTO youngest FROM public."AccessEvents" e
    WHERE e."Stripe" OPERATOR(pg_catalog.=) p_stripe AND e."Sequence" OPERATOR(pg_catalog.<=) p_through;
  IF youngest OPERATOR(pg_catalog.>=) (pg_catalog.now() OPERATOR(pg_catalog.-) retention) THEN
    RAISE EXCEPTION 'access events through % of stripe % are younger than the retention age (%): the youngest was written %', p_through, p_stripe, retention, youngest;
  END IF;
  INSERT INTO public."AuditCheckpoints" ("Id", "Stripe", "Sequence", "Hash", "At", "Kind")
    VALUES (pg_catalog.gen_random_uuid(), p_stripe, p_through, anchor_hash, pg_catalog.now(), 'Anchor');
  DELETE FROM public."AccessEvents" e WHERE e."Stripe" OPERATOR(pg_catalog.=) p_stripe AND e."Sequence" OPERATOR(pg_catalog.<=) p_through;
  GET DIAGNOSTICS erased = ROW_COUNT;
  RETURN erased;
END
$$;
REVOKE ALL ON FUNCTION public.sspf_erase_access_events(smallint, bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION public.sspf_erase_access_events(smallint, bigint) TO sspf_app;
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
