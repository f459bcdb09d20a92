using Microsoft.Extensions.DependencyInjection;
using SspfSamordning.Api.Infrastructure.Encryption;
using SspfSamordning.Api.Infrastructure.Persistence;
using SspfSamordning.Api.Tests.Infrastructure;

namespace SspfSamordning.Api.Tests.Encryption;

/// <summary>--rotate-data-keys hygiene (issue 23, item 12): only keys older than the run, retired keys deleted once unused, key bytes zeroed.</summary>
public sealed class KeyRotationHygieneTests(SspfApiFactory factory) : IClassFixture<SspfApiFactory>
{
    private async Task<string?> ScalarAsync(string sql) => await new RawDatabase(factory).ScalarAsync(sql);

    [Fact]
    public async Task Rotation_RotatesOnlyKeysOlderThanTheRun_AndAFinishedPassLaterDeletesTheRetiredOnes()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var encryption = new AppEncryptionTests(factory);
        var (caseId, _) = await encryption.OpenSecretCaseAsync(scenario);
        factory.Clock.Advance(TimeSpan.FromMinutes(1));
        var start = factory.Clock.GetUtcNow();
        var owners = int.Parse((await ScalarAsync("""SELECT COUNT(DISTINCT "OwnerId") FROM "DataKeys" """))!);
        var keys = int.Parse((await ScalarAsync("""SELECT COUNT(*) FROM "DataKeys" """))!);

        await EncryptionCommands.RunAsync(factory.Services, ["--rotate-data-keys"], Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        Assert.Equal(keys + owners, int.Parse((await ScalarAsync("""SELECT COUNT(*) FROM "DataKeys" """))!)); // one new version each; none deleted yet

        // Run again (as after an interruption): the keys this run created are not older than it — nothing more is rotated.
        await using (var scope = factory.Services.CreateAsyncScope())
            Assert.Equal(0, await EncryptionCommands.RotateAllAsync(scope.ServiceProvider.GetRequiredService<SspfDbContext>(), start, CancellationToken.None));
        // A key created after the run began is not rotated either.
        var later = await scenario.OpenCaseAsync(age: 16);
        await using (var scope = factory.Services.CreateAsyncScope())
            Assert.Equal(0, await EncryptionCommands.RotateAllAsync(scope.ServiceProvider.GetRequiredService<SspfDbContext>(), start, CancellationToken.None));

        // Two hours later a re-encryption pass finds every value on a current key and deletes the retired keys.
        factory.Clock.Advance(TimeSpan.FromHours(2));
        await EncryptionCommands.RunAsync(factory.Services, ["--reencrypt"], Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        Assert.Equal("0", await ScalarAsync("""SELECT COUNT(*) FROM "DataKeys" WHERE "RetiredAt" IS NOT NULL"""));
        Assert.Equal(owners + 1, int.Parse((await ScalarAsync("""SELECT COUNT(*) FROM "DataKeys" """))!));
        await scenario.RenewSessionsAsync();
        Assert.Equal(AppEncryptionTests.FamilyName, (await scenario.GetCaseAsync(caseId)).GetProperty("youth").GetProperty("familyName").GetString());
        await scenario.GetCaseAsync(later);
    }

    [Fact]
    public async Task KeyMaterial_IsZeroed_WhenItsContextIsDisposed()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var caseId = await scenario.OpenCaseAsync();
        DataKeyMaterial material;
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            material = await KeyRings.Of(scope.ServiceProvider.GetRequiredService<SspfDbContext>()).CurrentAsync(caseId);
            Assert.Contains(material.Key, b => b != 0);
        }
        Assert.All(material.Key, b => Assert.Equal(0, b));
    }
}
