-- The statistics' history queries (Features/Statistics/StatisticsQueries.cs) as EXPLAIN ANALYZE, for Falkenberg and the
-- year 2026 (Swedish time; the previous year too where the app asks for it). Run by bench/load.sh --statistics twice:
-- as the schema is, and inside a transaction that puts back the indexes before migration StatisticsSpeed and rolls
-- back (bench/statistics_bench.py). The month CASE of the app's SQL is left out: it changes no access path. Values are
-- literals: the plans are the custom plans the app now asks for (plan_cache_mode, Features/Statistics/StatisticsQueries.cs).
\set m '(SELECT "Id" FROM "Municipalities" WHERE "Code" = ''1382'')'
\echo '-- consent: days from request to valid (the previous and this year)'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF)
SELECT CASE WHEN t."At" >= '2025-12-31 23:00+00' THEN 1 ELSE 0 END AS "Current",
       CAST(FLOOR(date_part('epoch', t."At" - c."RequestedAt") / 86400) AS INTEGER) AS "Days", COUNT(*)
FROM "TransitionEvents" t JOIN "Consents" c ON c."Id" = t."SubjectId"
WHERE t."Workflow" = 'Consent' AND t."To" = 'Valid' AND t."At" >= '2024-12-31 23:00+00' AND t."At" < '2026-11-30 23:00+00'
  AND t."CaseId" IN (SELECT "Id" FROM "Cases" WHERE "MunicipalityId" = :m)
GROUP BY 1, 2;
\echo '-- cases closed, by close reason'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF)
SELECT date_trunc('month', t."At"), c."CloseReason", count(*)
FROM "TransitionEvents" t JOIN "Cases" c ON t."CaseId" = c."Id"
WHERE t."At" >= '2024-12-31 23:00+00' AND t."At" < '2026-11-30 23:00+00' AND t."Workflow" = 'Case' AND t."To" = 'Closed'
  AND c."MunicipalityId" = :m
GROUP BY 1, 2;
\echo '-- consent outcomes'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF)
SELECT date_trunc('month', t."At"), t."To", count(*)
FROM "TransitionEvents" t
WHERE t."At" >= '2024-12-31 23:00+00' AND t."At" < '2026-11-30 23:00+00' AND t."Workflow" = 'Consent'
  AND t."To" IN ('Valid', 'Refused', 'Withdrawn', 'Expired')
  AND t."CaseId" IN (SELECT "Id" FROM "Cases" WHERE "MunicipalityId" = :m)
GROUP BY 1, 2;
\echo '-- cases opened'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF)
SELECT date_trunc('month', c."OpenedAt"), c."SignalCategory", c."AgeBandAtOpening", count(*)
FROM "Cases" c
WHERE c."MunicipalityId" = :m AND c."OpenedAt" >= '2024-12-31 23:00+00' AND c."OpenedAt" < '2026-11-30 23:00+00'
GROUP BY 1, 2, 3;
\echo '-- interventions proposed'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF)
SELECT date_trunc('month', i."ProposedAt"), i."Type", i."OwnerParty", count(*)
FROM "Interventions" i
WHERE i."CaseId" IN (SELECT "Id" FROM "Cases" WHERE "MunicipalityId" = :m)
  AND i."ProposedAt" >= '2024-12-31 23:00+00' AND i."ProposedAt" < '2026-11-30 23:00+00'
GROUP BY 1, 2, 3;
\echo '-- the stock''s hidden flows: declined and reopened (Closed → Opened, the one transition into Opened)'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF)
SELECT date_trunc('month', t."At"), t."To" = 'Declined', count(*)
FROM "TransitionEvents" t
WHERE t."At" >= '2024-12-31 23:00+00' AND t."At" < '2026-11-30 23:00+00' AND t."Workflow" = 'Case'
  AND (t."To" = 'Declined' OR (t."To" = 'Opened' AND t."From" = 'Closed'))
  AND t."CaseId" IN (SELECT "Id" FROM "Cases" WHERE "MunicipalityId" = :m)
GROUP BY 1, 2;
\echo '-- meetings held (IX_Meetings_HeldAt_CaseId_Kind, migration StatisticsSpeedTwo)'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF)
SELECT date_trunc('month', m."HeldAt"), m."Kind", count(*)
FROM "Meetings" m
WHERE m."HeldAt" >= '2024-12-31 23:00+00' AND m."HeldAt" < '2026-11-30 23:00+00'
  AND m."CaseId" IN (SELECT "Id" FROM "Cases" WHERE "MunicipalityId" = :m)
GROUP BY 1, 2;
