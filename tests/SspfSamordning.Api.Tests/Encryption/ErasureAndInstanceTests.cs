using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SspfSamordning.Api.Infrastructure.Encryption;
using SspfSamordning.Api.Infrastructure.Persistence;
using SspfSamordning.Api.Tests.Infrastructure;

namespace SspfSamordning.Api.Tests.Encryption;

public sealed class ErasureAndInstanceTests(SspfApiFactory factory) : IClassFixture<SspfApiFactory>
{
    [Fact]
    public async Task ErasedCase_ItsCiphertextCopiedBeforeErasure_CanNoLongerBeDecrypted()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var (caseId, _) = await new AppEncryptionTests(factory).OpenSecretCaseAsync(scenario);
        var raw = new RawDatabase(factory);
        var literal = new AppEncryptionTests(factory).Literal(caseId);
        // The "backup": the case's stored values, copied before erasure.
        var backup = await raw.ScalarAsync($"SELECT \"YouthGivenName\" FROM \"Cases\" WHERE \"Id\" = {literal}");
        var location = new FieldLocation("Cases", "YouthGivenName", caseId.ToString());

        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<SspfDbContext>();
            Assert.Equal(AppEncryptionTests.GivenName, KeyRings.Of(db).Decrypt(backup!, location)); // readable until erased
        }
        await using (var scope = factory.Services.CreateAsyncScope())
            Assert.Equal(1, await CaseErasure.EraseAsync(scope.ServiceProvider.GetRequiredService<SspfDbContext>(), caseId, CancellationToken.None));

        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<SspfDbContext>();
            Assert.Throws<DataKeyUnavailableException>(() => KeyRings.Of(db).Decrypt(backup!, location));
            Assert.False(await db.Cases.AnyAsync(c => c.Id == caseId));
        }
        Assert.Equal("0", await raw.ScalarAsync($"SELECT COUNT(*) FROM \"Guardians\" WHERE \"CaseId\" = {literal}"));
        await (await (await scenario.As("samordnare")).Http.GetAsync($"/api/cases/{caseId}")).EnsureStatusAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task SecondInstance_WithTheSameConfiguration_ReadsTheFirstInstancesData()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var (caseId, _) = await new AppEncryptionTests(factory).OpenSecretCaseAsync(scenario);

        await using var second = SspfApiFactory.SharingDatabaseWith(factory);
        var other = await CaseScenario.CreateAsync(second);
        var detail = await other.GetCaseAsync(caseId);
        Assert.Equal(AppEncryptionTests.GivenName, detail.GetProperty("youth").GetProperty("givenName").GetString());

        // And an access token of the first instance is honoured by the second (one shared Data Protection key ring).
        var first = await scenario.As("samordnare");
        var client = second.CreateSspfClient();
        client.Use(first.Http.DefaultRequestHeaders.Authorization!.Parameter);
        await (await client.Http.GetAsync($"/api/cases/{caseId}")).EnsureStatusAsync(HttpStatusCode.OK);
    }
}
