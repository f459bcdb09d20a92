using Npgsql;
using OpenIddict.Core;
using SspfSamordning.Api.Infrastructure.Audit;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Api.Infrastructure.Persistence;
using SspfSamordning.Domain;

namespace SspfSamordning.Api.Features.Bench;

/// <summary>
/// Benchmark build only (<c>-p:SspfBench=true</c>): GET /bench/secure/{id}, the irreducible work of a <em>secure</em>
/// read in hand-written SQL (issue 22) — the limit a real case read can approach, where /bench/baseline/{id} (one row,
/// nothing written) is the physical limit of the machine:
/// <list type="number">
/// <item>the bearer token (in <c>X-Bench-Token</c>, which the app's handler does not read) and its session checked in one
/// lookup, as <see cref="BearerHandler"/> does: the reference token's row by
/// its hashed handle (an access token, valid, not expired, naming its session), the session not revoked, the user the token's
/// subject, not disabled, the stamp current, with the user's party, roles and municipalities;</item>
/// <item>one batch: the case row (filtered by the caller's municipalities — the coordinator's rule; the scenario runs as
/// samordnare), its child rows of every collection GET /api/cases/{id} returns, and its data-key rows;</item>
/// <item>one Read event linked into the access log's hash chain (<see cref="AuditChain.ComputeHash"/>) and committed before
/// the answer: the advisory lock and the head in one batch, the insert, the commit — group-committed as the app's
/// <see cref="AuditLog"/> does (events that arrive while a transaction is written go together in the next one). The first
/// version committed each read alone and was slower than the app's own read (27 against 31 reads/s in the same run): a
/// bound that the app beats measures nothing.</item>
/// </list>
/// No EF, no policy evaluation, no unwrap or decryption (the rows are returned as stored). A case outside the caller's
/// municipalities is 404 and writes nothing.
/// </summary>
public static class SecureBaselineEndpoint
{
    // The children of GET /api/cases/{id} (CaseAccess.WithChildren) and the case's data keys; $1 is the case id. Answers
    // and assessments through their parent's indexed foreign key, as EF's query joins them: their KeyOwnerId has no index,
    // and filtering on it (until round seventeen) had PostgreSQL scan both tables on every request (2.4 ms of its CPU per
    // request; 0.34 ms since).
    private static readonly string[] Children =
    [
        """SELECT * FROM "Guardians" WHERE "CaseId" = $1""",
        """SELECT * FROM "CaseMembers" WHERE "CaseId" = $1""",
        """SELECT * FROM "Consents" WHERE "CaseId" = $1""",
        """SELECT * FROM "ConsentAnswers" WHERE "ConsentId" IN (SELECT "Id" FROM "Consents" WHERE "CaseId" = $1)""",
        """SELECT * FROM "Meetings" WHERE "CaseId" = $1""",
        """SELECT * FROM "ActionPlans" WHERE "CaseId" = $1""",
        """SELECT * FROM "Interventions" WHERE "CaseId" = $1""",
        """SELECT * FROM "FollowUps" WHERE "CaseId" = $1""",
        """SELECT * FROM "FollowUpAssessments" WHERE "FollowUpId" IN (SELECT "Id" FROM "FollowUps" WHERE "CaseId" = $1)""",
        """SELECT * FROM "Disclosures" WHERE "CaseId" = $1""",
        """SELECT "Id", "OwnerId", "Version", "WrappedKey" FROM "DataKeys" WHERE "OwnerId" = $1""",
    ];

    // The bearer request's one lookup (SessionPrincipal.LoadForAccessTokenAsync, in SQL): $1 the hashed handle, $2 now.
    private const string Session = $"""
        SELECT p."Party", s."CreatedAt",
               array(SELECT um."MunicipalityId" FROM "UnitMunicipality" um WHERE um."UnitId" = u."UnitId"),
               array(SELECT r."Name" FROM "AspNetUserRoles" ur JOIN "AspNetRoles" r ON r."Id" = ur."RoleId" WHERE ur."UserId" = u."Id"),
               u."Id", t."Subject"
        FROM "OpenIddictTokens" t JOIN "AuthSessions" s ON s."Id" = t."ApiSessionId"
             JOIN "AspNetUsers" u ON u."Id" = s."UserId" JOIN "PartyUnits" p ON p."Id" = u."UnitId"
        WHERE t."ReferenceId" = $1 AND t."Type" = '{SspfTokenManager.AccessTokenType}' AND t."Status" = 'valid' AND t."ExpirationDate" > $2
          AND t."ApiSecurityStamp" = u."SecurityStamp" AND s."RevokedAt" IS NULL AND NOT u."IsDisabled"
        """;

    private const string Insert = """
        INSERT INTO "AccessEvents" ("Id", "Sequence", "At", "ActorUserId", "Roles", "Party", "MunicipalityId", "Action",
            "CaseId", "EntityType", "EntityId", "Categories", "Purpose", "Decision", "CorrelationId", "PreviousHash", "Hash")
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, NULL, $13, $14, $15, $16)
        """;

    // What a coordinator may see of any case of the municipality (CaseAccess.CategoriesFor).
    private static readonly string CoordinatorCategories = string.Join(",", Enum.GetValues<InformationCategory>()
        .Where(c => c != InformationCategory.SocialServicesInternal).Select(c => c.ToString()).Order(StringComparer.Ordinal));

    public static void Map(WebApplication app)
    {
        var dataSource = NpgsqlDataSource.Create(app.Configuration.GetConnectionString("Sspf")
            ?? throw new InvalidOperationException("The secure baseline needs ConnectionStrings:Sspf (PostgreSQL)."));
        var log = new GroupCommit(dataSource);
        app.MapGet("/bench/secure/{id:guid}", async (Guid id, HttpContext http, OpenIddictTokenManager<SspfToken> tokens, TimeProvider time, CancellationToken ct) =>
        {
            // Not Authorization: the app's bearer handler authenticates every request that carries one (UseAuthentication),
            // and the first version paid that EF session lookup besides its own, one lookup more than a secure read needs.
            string? header = http.Request.Headers["X-Bench-Token"];
            if (header is null || !header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return Results.Unauthorized();
            var hashed = await ((SspfTokenManager)tokens).HashHandleAsync(header["Bearer ".Length..].Trim(), ct);

            await using var connection = await dataSource.OpenConnectionAsync(ct);
            string party;
            Guid[] municipalities;
            string[] roles;
            Guid userId;
            await using (var session = new NpgsqlCommand(Session, connection))
            {
                session.Parameters.Add(new NpgsqlParameter { Value = hashed });
                session.Parameters.Add(new NpgsqlParameter { Value = time.GetUtcNow().UtcDateTime });
                await using var reader = await session.ExecuteReaderAsync(ct);
                if (!await reader.ReadAsync(ct)) return Results.Unauthorized();
                party = reader.GetString(0);
                municipalities = reader.GetFieldValue<Guid[]>(2);
                roles = reader.GetFieldValue<string[]>(3);
                userId = reader.GetGuid(4);
                if (reader.GetString(5) != userId.ToString()) return Results.Unauthorized();
            }
            if (!roles.Contains(Roles.Samordnare)) return Results.StatusCode(StatusCodes.Status403Forbidden);

            var result = new List<List<Dictionary<string, object?>>>(Children.Length + 1);
            await using (var batch = new NpgsqlBatch(connection))
            {
                var root = new NpgsqlBatchCommand("""SELECT * FROM "Cases" WHERE "Id" = $1 AND "MunicipalityId" = ANY($2)""");
                root.Parameters.Add(new NpgsqlParameter { Value = id });
                root.Parameters.Add(new NpgsqlParameter { Value = municipalities });
                batch.BatchCommands.Add(root);
                foreach (var sql in Children)
                {
                    var child = new NpgsqlBatchCommand(sql);
                    child.Parameters.Add(new NpgsqlParameter { Value = id });
                    batch.BatchCommands.Add(child);
                }
                await using var reader = await batch.ExecuteReaderAsync(ct);
                do
                {
                    var rows = new List<Dictionary<string, object?>>();
                    while (await reader.ReadAsync(ct))
                    {
                        var row = new Dictionary<string, object?>(reader.FieldCount);
                        for (var i = 0; i < reader.FieldCount; i++) row[reader.GetName(i)] = reader.IsDBNull(i) ? null : reader.GetValue(i);
                        rows.Add(row);
                    }
                    result.Add(rows);
                }
                while (await reader.NextResultAsync(ct));
            }
            if (result[0].Count == 0) return Results.NotFound();

            var e = new AccessEvent
            {
                At = AccessEvent.Instant(time.GetUtcNow()),
                ActorUserId = userId,
                Roles = string.Join(",", roles.Order(StringComparer.Ordinal)),
                Party = party,
                MunicipalityId = municipalities.Length == 1 ? municipalities[0] : null,
                Action = AuditAction.Read,
                CaseId = id,
                EntityType = "Case",
                EntityId = id,
                Categories = CoordinatorCategories,
                Decision = AuditDecision.Allowed,
                CorrelationId = http.TraceIdentifier,
            };
            await connection.CloseAsync(); // back to the pool while the event waits for its commit, as EF's connection is
            await log.AppendAsync(e, ct);
            return Results.Ok(result);
        }).AllowAnonymous();
    }

    /// <summary>Group commit of the baseline's Read events (the scheme of <see cref="AuditLog"/>, in raw Npgsql).</summary>
    private sealed class GroupCommit(NpgsqlDataSource dataSource)
    {
        private readonly Lock gate = new();
        private List<(AccessEvent Event, TaskCompletionSource Done)> queue = [];
        private bool writing;

        public Task AppendAsync(AccessEvent e, CancellationToken ct)
        {
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            bool lead;
            lock (gate)
            {
                queue.Add((e, done));
                lead = !writing;
                writing = true;
            }
            if (lead)
            {
                using (ExecutionContext.SuppressFlow()) _ = Task.Run(WriteQueueAsync, CancellationToken.None);
            }
            return done.Task.WaitAsync(ct);
        }

        private async Task WriteQueueAsync()
        {
            while (true)
            {
                List<(AccessEvent Event, TaskCompletionSource Done)> batch;
                lock (gate)
                {
                    if (queue.Count == 0)
                    {
                        writing = false;
                        return;
                    }
                    (batch, queue) = (queue, []);
                }
                try
                {
                    await WriteAsync(batch.Select(p => p.Event).ToList());
                    foreach (var p in batch) p.Done.TrySetResult();
                }
                catch (Exception x)
                {
                    foreach (var p in batch) p.Done.TrySetException(x);
                }
            }
        }

        private async Task WriteAsync(List<AccessEvent> events)
        {
            var ct = CancellationToken.None;
            await using var connection = await dataSource.OpenConnectionAsync(ct);
            await using (var transaction = await connection.BeginTransactionAsync(ct))
            {
                await using (var head = new NpgsqlBatch(connection, transaction)
                {
                    BatchCommands =
                    {
                        new NpgsqlBatchCommand($"SELECT pg_advisory_xact_lock({AuditChain.AppendLockKey})"),
                        new NpgsqlBatchCommand("""SELECT "Sequence", "Hash" FROM "AccessEvents" WHERE "Stripe" = 0 ORDER BY "Sequence" DESC LIMIT 1"""), // stripe 0: its events have no Stripe set
                    },
                })
                {
                    await using var reader = await head.ExecuteReaderAsync(ct);
                    await reader.NextResultAsync(ct);
                    var (sequence, previous) = await reader.ReadAsync(ct) ? (reader.GetInt64(0), reader.GetString(1)) : (0, AuditChain.Genesis);
                    foreach (var e in events)
                    {
                        (e.Sequence, e.PreviousHash) = (++sequence, previous);
                        e.Hash = previous = AuditChain.ComputeHash(e);
                    }
                }
                await using (var insert = new NpgsqlBatch(connection, transaction))
                {
                    foreach (var e in events)
                    {
                        var command = new NpgsqlBatchCommand(Insert);
                        foreach (var value in new object?[]
                        {
                            e.Id, e.Sequence, e.At, e.ActorUserId, e.Roles, e.Party, e.MunicipalityId, e.Action.ToString(), e.CaseId,
                            e.EntityType, e.EntityId, e.Categories, e.Decision.ToString(), e.CorrelationId, e.PreviousHash, e.Hash,
                        })
                            command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
                        insert.BatchCommands.Add(command);
                    }
                    await insert.ExecuteNonQueryAsync(ct);
                }
                await transaction.CommitAsync(ct);
            }
        }
    }
}
