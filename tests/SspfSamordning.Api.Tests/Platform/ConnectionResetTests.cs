using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SspfSamordning.Api.Infrastructure.Persistence;
using SspfSamordning.Api.Tests.Infrastructure;

namespace SspfSamordning.Api.Tests.Platform;

/// <summary>
/// On PostgreSQL the app's pooled connections are not reset when they return to the pool (<c>No Reset On Close</c>,
/// <see cref="Database.WithoutSessionReset"/>), which is safe only while the app leaves no session-level state on them.
/// These tests check both: the setting is on, and after the app's requests (sign-in, case opening, read, transitions)
/// no pooled connection carries a session setting, an advisory lock, a cursor, a LISTEN, a temporary table or another role.
/// </summary>
public sealed class ConnectionResetTests(SspfApiFactory factory) : IClassFixture<SspfApiFactory>
{
    [Fact]
    public void PostgresConnections_AreNotResetOnReturnToThePool()
    {
        if (factory.Provider != "Postgres") Assert.Skip("No Reset On Close is Npgsql's setting: the app sets it on PostgreSQL only.");
        using var scope = factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<SspfDbContext>();
        Assert.True(new Npgsql.NpgsqlConnectionStringBuilder(db.Database.GetConnectionString()).NoResetOnClose);
    }

    [Fact]
    public async Task AfterTheAppsRequests_NoPooledConnectionCarriesSessionState()
    {
        if (factory.Provider != "Postgres") Assert.Skip("Only the PostgreSQL connections skip their reset; the query reads PostgreSQL's catalogs.");
        var scenario = await CaseScenario.CreateAsync(factory);
        var coordinator = await scenario.As("samordnare");
        var caseId = await scenario.OpenCaseAsync();
        await scenario.GetCaseAsync(caseId);
        foreach (var trigger in new object[] { new { trigger = "Close", closeReason = "Other" }, new { trigger = "Reopen" } })
            await (await coordinator.Http.PostAsJsonAsync($"/api/cases/{caseId}/transitions", trigger)).EnsureStatusAsync(HttpStatusCode.OK);
        await scenario.GetCaseAsync(caseId);

        // Rent more connections at once than the requests above can have left idle, so that every pooled one is looked at.
        var scopes = Enumerable.Range(0, 12).Select(_ => factory.Services.CreateAsyncScope()).ToList();
        try
        {
            var contexts = scopes.Select(s => s.ServiceProvider.GetRequiredService<SspfDbContext>()).ToList();
            foreach (var db in contexts) await db.Database.OpenConnectionAsync();
            foreach (var db in contexts)
            {
                var state = await db.Database.SqlQueryRaw<string>("""
                    SELECT concat_ws(',',
                        (SELECT string_agg(name, ' ') FROM pg_settings WHERE source = 'session'),
                        (SELECT 'advisory lock' FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid() LIMIT 1),
                        (SELECT 'cursor' FROM pg_cursors WHERE is_holdable LIMIT 1),
                        (SELECT 'listen' FROM pg_listening_channels() LIMIT 1),
                        (SELECT 'temporary table' FROM pg_class WHERE relnamespace = pg_my_temp_schema() LIMIT 1),
                        CASE WHEN current_user <> session_user THEN 'role' END) AS "Value"
                    """).SingleAsync();
                Assert.Equal("", state);
            }
        }
        finally
        {
            foreach (var scope in scopes) await scope.DisposeAsync();
        }
    }
}
