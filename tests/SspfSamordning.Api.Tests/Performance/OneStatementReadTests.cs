using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SspfSamordning.Api.Features.Cases;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Api.Infrastructure.Encryption;
using SspfSamordning.Api.Infrastructure.Persistence;
using SspfSamordning.Api.Tests.Cases;
using SspfSamordning.Api.Tests.Encryption;
using SspfSamordning.Api.Tests.Infrastructure;
using SspfSamordning.Domain;
using SspfSamordning.Domain.Cases;

namespace SspfSamordning.Api.Tests.Performance;

/// <summary>
/// Issue 22, round fifteen: on PostgreSQL a small case is read in one statement — the rule, its aggregate, and its members
/// and data keys as arrays of the case's row — so the values it decrypts are materialized before their keys are unwrapped,
/// and decryption is deferred until the statement has returned (KeyRing.DeferringDecryptionAsync). A read through that
/// statement fails as every read did before when a key is shredded or a value tampered with — no entity holding a stored
/// value is answered — its members are the members, and the deferring mode never outlives its query nor applies to a
/// tracked query. On SQLite and SQL Server the same reads take the two-statement path (asserted too). On a database of its
/// own: the tampered rows stay behind.
/// </summary>
public sealed class OneStatementReadTests(CaseReadStatementsTests.CountingFactory factory) : IClassFixture<CaseReadStatementsTests.CountingFactory>
{
    private AppEncryptionTests Encryption => new(factory);

    /// <summary>
    /// A read of the case, its answer and the EF commands it sent; asserts the one statement of a small case ran on PostgreSQL
    /// (and alone read the keys and children), the two statements elsewhere.
    /// </summary>
    private async Task<(HttpResponseMessage Response, string Body)> ReadInOneStatementAsync(CaseScenario scenario, Guid caseId)
    {
        var client = await scenario.As("samordnare");
        var (response, commands) = await factory.Counter.DuringAsync(() => client.Http.GetAsync($"/api/cases/{caseId}"));
        // The statement that reads the case's key rows (after a shredded read, the missing key is looked up by its id, as before).
        var keys = Assert.Single(commands, c => c.Contains("\"DataKeys\"", StringComparison.Ordinal) && c.Contains("\"CaseMembers\"", StringComparison.Ordinal));
        // The data keys and members as arrays with the case row's columns and its children.
        Assert.Equal(factory.Provider == "Postgres", keys.Contains("\"YouthGivenName\"", StringComparison.Ordinal) && keys.Contains("array_agg", StringComparison.Ordinal));
        Assert.Equal(factory.Provider == "Postgres", !commands.Any(c => !c.Contains("\"DataKeys\"", StringComparison.Ordinal) && c.Contains("\"Guardians\" AS ", StringComparison.Ordinal)));
        TestContext.Current.TestOutputHelper?.WriteLine($"{factory.Provider}: the statement with the data keys of a small case's read\n{keys}");
        return (response, await response.Content.ReadAsStringAsync());
    }

    /// <summary>
    /// The members the read builds from the one statement's arrays (PostgreSQL; elsewhere read as rows) are the case's members,
    /// every column of them, in the order of their keys — the order the two-statement read gives them.
    /// </summary>
    [Fact]
    public async Task TheMembersOfARead_AreTheCasesMembers_EveryColumn_InTheOrderOfTheirKeys()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var caseId = await scenario.ActiveCaseAsync(["polis", "skola", "socialsekreterare"], [Party.Polis, Party.Skola], [InformationCategory.Basic]);
        await ReadInOneStatementAsync(scenario, caseId);
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SspfDbContext>();
        var viewer = new Viewer(await scenario.UserIdAsync("samordnare"), Party.Annan, new HashSet<string> { Roles.Samordnare }, [await scenario.MunicipalityIdAsync()]);

        var read = await db.LoadForReadAsync(caseId, viewer, factory.Clock.GetUtcNow(), TestContext.Current.CancellationToken);

        var stored = await db.Set<CaseMember>().AsNoTracking().Where(m => EF.Property<Guid>(m, Aggregates.CaseId) == caseId)
            .Select(m => new { m.Id, m.UserId, m.Party, m.AddedAt, m.AddedByUserId }).ToListAsync(TestContext.Current.CancellationToken);
        Assert.True(stored.Count >= 3); // the three added (and whoever the case began with)
        Assert.Equal(stored.OrderBy(m => m.Id).Select(m => $"{m.Id} {m.UserId} {m.Party} {m.AddedAt:O} {m.AddedByUserId}"),
            read!.Members.Select(m => $"{m.Id} {m.UserId} {m.Party} {m.AddedAt:O} {m.AddedByUserId}"));
    }

    [Fact]
    public async Task AShreddedKey_FailsTheOneStatementRead_AsItFailedEveryRead()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var (caseId, _) = await Encryption.OpenSecretCaseAsync(scenario);
        var (readable, body) = await ReadInOneStatementAsync(scenario, caseId);
        await readable.EnsureStatusAsync(HttpStatusCode.OK);
        Assert.Contains(AppEncryptionTests.GivenName, body, StringComparison.Ordinal);

        Assert.True(await new RawDatabase(factory).ExecuteAsync($"DELETE FROM \"DataKeys\" WHERE \"OwnerId\" = {Encryption.Literal(caseId)}") >= 1);

        var (shredded, refused) = await ReadInOneStatementAsync(scenario, caseId);
        await shredded.EnsureStatusAsync(HttpStatusCode.InternalServerError);
        Assert.Contains("DataKeyUnavailable", refused, StringComparison.Ordinal);
        Assert.DoesNotContain("v1.", refused, StringComparison.Ordinal);
    }

    /// <summary>A value of the case row (materialized first, before any key row arrives) swapped with another column's of the same row and key: its AAD no longer matches.</summary>
    [Fact]
    public async Task ATamperedValue_FailsTheOneStatementRead_AsItFailedEveryRead()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var (caseId, _) = await Encryption.OpenSecretCaseAsync(scenario);
        Assert.Equal(1, await new RawDatabase(factory).ExecuteAsync(
            $"UPDATE \"Cases\" SET \"YouthGivenName\" = \"YouthFamilyName\" WHERE \"Id\" = {Encryption.Literal(caseId)}"));

        var (tampered, body) = await ReadInOneStatementAsync(scenario, caseId);
        await tampered.EnsureStatusAsync(HttpStatusCode.InternalServerError);
        Assert.Contains("CiphertextTampered", body, StringComparison.Ordinal);
        Assert.DoesNotContain(AppEncryptionTests.FamilyName, body, StringComparison.Ordinal);
        Assert.DoesNotContain("v1.", body, StringComparison.Ordinal);
    }

    /// <summary>
    /// A query that fails while decryption is deferred — after it materialized a case whose key the ring did not hold —
    /// leaves the mode off: the next no-tracking query on the same context decrypts as it materializes.
    /// </summary>
    [Fact]
    public async Task DeferringDecryption_IsOffAgain_AfterTheQueryFails()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var (caseId, _) = await Encryption.OpenSecretCaseAsync(scenario);
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SspfDbContext>();
        var ring = KeyRings.Of(db);

        var failed = await Assert.ThrowsAsync<TimeoutException>(() => ring.DeferringDecryptionAsync<int>(async () =>
        {
            var deferred = await db.Cases.AsNoTracking().SingleAsync(c => c.Id == caseId, TestContext.Current.CancellationToken);
            Assert.StartsWith("v1.", deferred.Youth.GivenName, StringComparison.Ordinal); // deferred: the key was not held
            throw new TimeoutException("the query failed");
        }));
        Assert.Equal("the query failed", failed.Message);

        var after = await db.Cases.AsNoTracking().SingleAsync(c => c.Id == caseId, TestContext.Current.CancellationToken);
        Assert.Equal(AppEncryptionTests.GivenName, after.Youth.GivenName);
    }

    /// <summary>A tracked query never defers, even inside the mode: the change tracker's snapshot is taken as the entity is built.</summary>
    [Fact]
    public async Task ATrackedQuery_DecryptsAsItMaterializes_EvenWhileDecryptionIsDeferred()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var (caseId, _) = await Encryption.OpenSecretCaseAsync(scenario);
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SspfDbContext>();

        var snapshot = await KeyRings.Of(db).DeferringDecryptionAsync(async () =>
        {
            var tracked = await db.Cases.SingleAsync(c => c.Id == caseId, TestContext.Current.CancellationToken);
            return db.Entry(tracked).ComplexProperty(c => c.Youth).Property(y => y.GivenName).OriginalValue;
        });
        Assert.Equal(AppEncryptionTests.GivenName, snapshot);
    }
}
