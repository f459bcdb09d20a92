using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SspfSamordning.Api.Infrastructure.Encryption;
using SspfSamordning.Api.Infrastructure.Persistence;
using SspfSamordning.Api.Tests.Encryption;
using SspfSamordning.Api.Tests.Infrastructure;

namespace SspfSamordning.Api.Tests.Performance;

/// <summary>
/// Issue 22, round fourteen: a small case is read in one statement — the rule, its data keys and its aggregate — so the
/// values it decrypts are materialized before their keys arrive, and decryption is deferred until the statement has returned
/// (KeyRing.DeferringDecryptionAsync). A read through that statement fails as every read did before when a key is shredded
/// or a value tampered with — no entity holding a stored value is answered — and the deferring mode never outlives its query
/// nor applies to a tracked query. On a database of its own: the tampered rows stay behind.
/// </summary>
public sealed class OneStatementReadTests(CaseReadStatementsTests.CountingFactory factory) : IClassFixture<CaseReadStatementsTests.CountingFactory>
{
    private AppEncryptionTests Encryption => new(factory);

    /// <summary>A read of the case, its answer and the EF commands it sent; asserts the one statement of a small case ran.</summary>
    private async Task<(HttpResponseMessage Response, string Body)> ReadInOneStatementAsync(CaseScenario scenario, Guid caseId)
    {
        var client = await scenario.As("samordnare");
        var (response, commands) = await factory.Counter.DuringAsync(() => client.Http.GetAsync($"/api/cases/{caseId}"));
        // The data keys with the case row's columns and its children (a shredded key is then looked up by its id, as before).
        var one = Assert.Single(commands, c => c.Contains("\"DataKeys\"", StringComparison.Ordinal) && c.Contains("\"YouthGivenName\"", StringComparison.Ordinal));
        Assert.Contains("\"Guardians\" AS ", one, StringComparison.Ordinal);
        Assert.DoesNotContain(commands, c => !c.Contains("\"DataKeys\"", StringComparison.Ordinal) && c.Contains("\"Guardians\" AS ", StringComparison.Ordinal));
        TestContext.Current.TestOutputHelper?.WriteLine($"{factory.Provider}: the one statement of a small case's read\n{one}");
        return (response, await response.Content.ReadAsStringAsync());
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
            return (string?)db.Entry(tracked.Youth).Property(y => y.GivenName).OriginalValue;
        });
        Assert.Equal(AppEncryptionTests.GivenName, snapshot);
    }
}
