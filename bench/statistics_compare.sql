-- Before and after of the queries migration StatisticsSpeedTwo and its branch changed (bench/results/statistics.md):
-- the old and the new form of each, one after the other in one session on the kept 100,000-case database; the new
-- index inside a transaction that is rolled back. Run by hand as the owner, e.g. after `bench/load.sh --statistics
-- --keep DIR`: start DIR/pg's cluster and `psql -d sspf -f bench/statistics_compare.sql` (on a schema still without
-- (with or without IX_Meetings_HeldAt_CaseId_Kind: the meetings' "before" drops it, the "after" creates it, both rolled back).
\set m '(SELECT "Id" FROM "Municipalities" WHERE "Code" = ''1382'')'
\echo '-- consent days, BEFORE (join through the consent''s case, EXTRACT numeric)'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF)
SELECT CASE WHEN t."At" >= '2025-12-31 23:00+00' THEN 1 ELSE 0 END, CAST(FLOOR(EXTRACT(EPOCH FROM (t."At" - c."RequestedAt")) / 86400) AS INTEGER), COUNT(*)
FROM "TransitionEvents" t JOIN "Consents" c ON c."Id" = t."SubjectId" JOIN "Cases" k ON k."Id" = c."CaseId"
WHERE t."Workflow" = 'Consent' AND t."To" = 'Valid' AND k."MunicipalityId" = :m AND t."At" >= '2024-12-31 23:00+00' AND t."At" < '2026-11-30 23:00+00'
GROUP BY 1, 2;
\echo '-- consent days, AFTER (semi-join on the event''s case id, date_part double precision)'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF)
SELECT CASE WHEN t."At" >= '2025-12-31 23:00+00' THEN 1 ELSE 0 END, CAST(FLOOR(date_part('epoch', t."At" - c."RequestedAt") / 86400) AS INTEGER), COUNT(*)
FROM "TransitionEvents" t JOIN "Consents" c ON c."Id" = t."SubjectId"
WHERE t."Workflow" = 'Consent' AND t."To" = 'Valid' AND t."At" >= '2024-12-31 23:00+00' AND t."At" < '2026-11-30 23:00+00'
  AND t."CaseId" IN (SELECT "Id" FROM "Cases" WHERE "MunicipalityId" = :m)
GROUP BY 1, 2;
\echo '-- the stock''s other flows, BEFORE (To = Declined OR From = Closed)'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF)
SELECT date_trunc('month', t."At"), t."To" = 'Declined', count(*) FROM "TransitionEvents" t
WHERE t."At" >= '2024-12-31 23:00+00' AND t."At" < '2026-11-30 23:00+00' AND t."Workflow" = 'Case' AND (t."To" = 'Declined' OR t."From" = 'Closed')
  AND t."CaseId" IN (SELECT "Id" FROM "Cases" WHERE "MunicipalityId" = :m) GROUP BY 1, 2;
\echo '-- the stock''s other flows, AFTER (To = Declined OR (To = Opened AND From = Closed))'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF)
SELECT date_trunc('month', t."At"), t."To" = 'Declined', count(*) FROM "TransitionEvents" t
WHERE t."At" >= '2024-12-31 23:00+00' AND t."At" < '2026-11-30 23:00+00' AND t."Workflow" = 'Case' AND (t."To" = 'Declined' OR (t."To" = 'Opened' AND t."From" = 'Closed'))
  AND t."CaseId" IN (SELECT "Id" FROM "Cases" WHERE "MunicipalityId" = :m) GROUP BY 1, 2;
BEGIN;
DROP INDEX IF EXISTS "IX_Meetings_HeldAt_CaseId_Kind";
\echo '-- meetings held, BEFORE (no index on HeldAt)'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF)
SELECT date_trunc('month', m."HeldAt"), m."Kind", count(*) FROM "Meetings" m
WHERE m."HeldAt" >= '2024-12-31 23:00+00' AND m."HeldAt" < '2026-11-30 23:00+00' AND m."CaseId" IN (SELECT "Id" FROM "Cases" WHERE "MunicipalityId" = :m) GROUP BY 1, 2;
ROLLBACK;
BEGIN;
CREATE INDEX IF NOT EXISTS "IX_Meetings_HeldAt_CaseId_Kind" ON "Meetings" ("HeldAt", "CaseId", "Kind");
ANALYZE "Meetings";
\echo '-- meetings held, AFTER (IX_Meetings_HeldAt_CaseId_Kind, migration StatisticsSpeedTwo; inside a transaction, rolled back)'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF)
SELECT date_trunc('month', m."HeldAt"), m."Kind", count(*) FROM "Meetings" m
WHERE m."HeldAt" >= '2024-12-31 23:00+00' AND m."HeldAt" < '2026-11-30 23:00+00' AND m."CaseId" IN (SELECT "Id" FROM "Cases" WHERE "MunicipalityId" = :m) GROUP BY 1, 2;
ROLLBACK;
