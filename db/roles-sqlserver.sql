-- Roles of an SSPF Samordning database on SQL Server (security.md, "Audit"); the counterpart of db/roles-postgres.sql.
-- Run as the database's owner (dbo, or a member of db_owner: the principal that applies db/migrations-sqlserver.sql),
-- in the application's database, after every migration (and after --migrate, which creates Hangfire's schema):
--   sqlcmd -S tcp:db.example.se,1433 -d sspf -N -b -i db/roles-sqlserver.sql     (-N encrypts, -b stops at the first error)
-- Idempotent. Batches are separated by GO lines (sqlcmd, SSMS and Azure Data Studio understand them).
-- The application connects as the database user sspf_app; the owner stays a separate principal that only migrates.
-- Create its login outside this script, with its password, before running it:
--   in master:                          CREATE LOGIN sspf_app WITH PASSWORD = '...';
--   or, contained database / Azure SQL:  CREATE USER sspf_app WITH PASSWORD = '...';
-- sspf_app may read and write every table of the schema dbo, but may only INSERT and SELECT the access log and only
-- INSERT head checkpoints that lie on the chain: an entry, once written, cannot be changed or deleted by the application
-- (and so not by anyone who takes it over) — except entries older than the owner's retention age, through
-- dbo.sspf_erase_access_events (gallring, below). The hash chain (GET /api/audit/verify, --verify-audit) shows whatever
-- the owner or a sysadmin changes anyway.

SET NOCOUNT ON;
SET XACT_ABORT ON;
GO

IF DATABASE_PRINCIPAL_ID(N'sspf_app') IS NULL
BEGIN
  IF SUSER_ID(N'sspf_app') IS NULL
    THROW 50000, N'There is neither a user nor a login sspf_app: create the login first (in master: CREATE LOGIN sspf_app WITH PASSWORD = ''...''), or a contained user (CREATE USER sspf_app WITH PASSWORD = ''...'').', 1;
  CREATE USER sspf_app FOR LOGIN sspf_app WITH DEFAULT_SCHEMA = dbo;
END
GO

-- Nobody but the owner creates or changes objects: a principal that could would be able to replace a table, a
-- procedure or a trigger the controls below rely on. (A user has none of these rights unless granted; denied to be sure.)
DENY CREATE TABLE, CREATE VIEW, CREATE PROCEDURE, CREATE FUNCTION, CREATE TYPE, CREATE SCHEMA, CREATE SYNONYM TO sspf_app;
DENY ALTER, CONTROL, TAKE OWNERSHIP ON SCHEMA::dbo TO sspf_app;
GO

-- The access log's retention age, fixed by the owner (not by the application): sspf_erase_access_events erases no
-- event younger than this many years. Change it only as the owner: UPDATE dbo.sspf_audit_settings SET access_log_retention_years = 10;
-- It must be at most the application's Retention:AccessLogYears, or gallring of the access log fails (and says why).
IF OBJECT_ID(N'dbo.sspf_audit_settings', N'U') IS NULL
  CREATE TABLE dbo.sspf_audit_settings (
    singleton bit NOT NULL CONSTRAINT PK_sspf_audit_settings PRIMARY KEY
      CONSTRAINT DF_sspf_audit_settings_singleton DEFAULT 1
      CONSTRAINT CK_sspf_audit_settings_singleton CHECK (singleton = 1),
    access_log_retention_years int NOT NULL CONSTRAINT CK_sspf_audit_settings_years CHECK (access_log_retention_years >= 0)
  );
GO
IF NOT EXISTS (SELECT 1 FROM dbo.sspf_audit_settings)
  INSERT INTO dbo.sspf_audit_settings (singleton, access_log_retention_years) VALUES (1, 5);
GO

-- Every table of the schema, the ones later migrations add included (a grant on the schema, not per table).
GRANT SELECT, INSERT, UPDATE, DELETE ON SCHEMA::dbo TO sspf_app;

-- The access log and its checkpoints: append and read only. TRUNCATE TABLE needs ALTER, denied above on the schema and
-- here on each table.
DENY UPDATE, DELETE, ALTER ON OBJECT::dbo.AccessEvents TO sspf_app;
DENY UPDATE, DELETE, ALTER ON OBJECT::dbo.AuditCheckpoints TO sspf_app;
-- The retention age and the migration history are the owner's.
DENY INSERT, UPDATE, DELETE, ALTER ON OBJECT::dbo.sspf_audit_settings TO sspf_app;
DENY INSERT, UPDATE, DELETE, ALTER ON OBJECT::dbo.[__EFMigrationsHistory] TO sspf_app;
GO

-- The application may store only head checkpoints, and only ones that lie on the chain (an event of that stripe at that
-- sequence with that hash). Anchor checkpoints — where gallring cut the chain — are written by sspf_erase_access_events alone: the
-- verifier starts the chain at an anchor, so an anchor the application could write would let it hide erased events.
-- Binds every principal outside db_owner (the owner, and the procedure running as the owner, are not bound); sspf_app
-- can neither drop nor disable it (both need ALTER on the table). The model declares this trigger (SqlServerSspfDbContext),
-- so EF does not use OUTPUT clauses on the table.
CREATE OR ALTER TRIGGER dbo.sspf_checkpoints_head_on_chain ON dbo.AuditCheckpoints AFTER INSERT AS
BEGIN
  SET NOCOUNT ON;
  IF IS_MEMBER(N'db_owner') = 0 AND EXISTS (
      SELECT 1 FROM inserted i
      WHERE i.[Kind] <> N'Head'
         OR NOT EXISTS (SELECT 1 FROM dbo.AccessEvents e WHERE e.[Stripe] = i.[Stripe] AND e.[Sequence] = i.[Sequence] AND e.[Hash] = i.[Hash]))
    THROW 51010, N'Only head checkpoints that lie on the access log''s chain may be stored by the application.', 1;
END
GO

-- Gallring of the access log: the one way the application may delete access events. Owned by the schema's owner and
-- running as it (EXECUTE AS OWNER), it erases the events of one stripe (one of the log's chains) up to @through only
-- when every one of them is older than dbo.sspf_audit_settings.access_log_retention_years by the database's clock (not
-- the application's), and never the stripe's head. It writes the stripe's anchor checkpoint itself — the hash of the
-- last erased event, which the first remaining event of the stripe chains onto — so the chain still verifies from there. Every name is schema-qualified. Returns one row: Value, the
-- number of events erased.
CREATE OR ALTER PROCEDURE dbo.sspf_erase_access_events @stripe smallint, @through bigint
WITH EXECUTE AS OWNER
AS
BEGIN
  SET NOCOUNT ON;
  SET XACT_ABORT ON;
  DECLARE @years int, @anchor_hash nvarchar(64), @youngest datetimeoffset, @erased bigint, @message nvarchar(2048);
  SELECT @years = s.access_log_retention_years FROM dbo.sspf_audit_settings s;
  IF @years IS NULL
    THROW 51020, N'No access log retention age is set (dbo.sspf_audit_settings).', 1;
  SELECT @anchor_hash = e.[Hash] FROM dbo.AccessEvents e WHERE e.[Stripe] = @stripe AND e.[Sequence] = @through;
  IF @anchor_hash IS NULL
  BEGIN
    SET @message = CONCAT(N'No access event ', @through, N' of stripe ', @stripe, N' to anchor the chain at.');
    THROW 51021, @message, 1;
  END
  IF NOT EXISTS (SELECT 1 FROM dbo.AccessEvents e WHERE e.[Stripe] = @stripe AND e.[Sequence] > @through)
    THROW 51022, N'The head of the access log is never erased.', 1;
  SELECT @youngest = MAX(e.[At]) FROM dbo.AccessEvents e WHERE e.[Stripe] = @stripe AND e.[Sequence] <= @through;
  IF @youngest >= DATEADD(year, -@years, SYSDATETIMEOFFSET())
  BEGIN
    SET @message = CONCAT(N'Access events through ', @through, N' of stripe ', @stripe, N' are younger than the retention age (', @years,
      N' years): the youngest was written ', CONVERT(nvarchar(40), @youngest, 127), N'.');
    THROW 51023, @message, 1;
  END
  INSERT INTO dbo.AuditCheckpoints ([Id], [Stripe], [Sequence], [Hash], [At], [Kind])
    VALUES (NEWID(), @stripe, @through, @anchor_hash, SYSUTCDATETIME(), N'Anchor');
  DELETE FROM dbo.AccessEvents WHERE [Stripe] = @stripe AND [Sequence] <= @through;
  SET @erased = @@ROWCOUNT;
  SELECT @erased AS [Value];
END
GO
REVOKE EXECUTE ON OBJECT::dbo.sspf_erase_access_events FROM public;
GRANT EXECUTE ON OBJECT::dbo.sspf_erase_access_events TO sspf_app;
GO

-- ===== Hangfire job storage (schema HangFire) — BEGIN ======================================================
-- Hangfire's tables live in their own schema, created and upgraded by the owner with the app's `--migrate`; the app
-- never creates them at start (PrepareSchemaIfNecessary is off). sspf_app gets what Hangfire needs at run time — rows
-- (its locks are sp_getapplock, open to every user) — but no DDL. Skipped (run this script again after --migrate)
-- while the schema does not exist.
IF SCHEMA_ID(N'HangFire') IS NOT NULL
BEGIN
  EXEC (N'GRANT SELECT, INSERT, UPDATE, DELETE ON SCHEMA::[HangFire] TO sspf_app;');
  EXEC (N'DENY ALTER, CONTROL, TAKE OWNERSHIP ON SCHEMA::[HangFire] TO sspf_app;');
  -- Hangfire's schema version is the owner's.
  IF OBJECT_ID(N'[HangFire].[Schema]', N'U') IS NOT NULL
    EXEC (N'DENY INSERT, UPDATE, DELETE ON OBJECT::[HangFire].[Schema] TO sspf_app;');
END
GO
-- ===== Hangfire job storage — END ===========================================================================
