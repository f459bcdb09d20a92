using System.Net;
using Microsoft.Extensions.DependencyInjection;
using SspfSamordning.Api.Infrastructure.Encryption;
using SspfSamordning.Api.Infrastructure.Persistence;
using SspfSamordning.Api.Tests.Infrastructure;

namespace SspfSamordning.Api.Tests.Encryption;

/// <summary>
/// A data key is bound to its owner (issue 23, item 9): re-pointing a key's owner, or a child row's case, so that erasing
/// the first case would miss it, leaves nothing readable — neither through the API nor with the key ring on a copy.
/// </summary>
public sealed class KeyOwnerBindingTests(SspfApiFactory factory) : IClassFixture<SspfApiFactory>
{
    private AppEncryptionTests Encryption => new(factory);

    [Fact]
    public async Task AKeyRepointedToAnotherCase_NoLongerUnwraps()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var (secret, _) = await Encryption.OpenSecretCaseAsync(scenario);
        var elsewhere = Guid.NewGuid(); // an owner no erasure of this case looks for
        var raw = new RawDatabase(factory);
        var stored = (await raw.ScalarAsync($"SELECT \"YouthGivenName\" FROM \"Cases\" WHERE \"Id\" = {Encryption.Literal(secret)}"))!;
        var location = new FieldLocation("Cases", "YouthGivenName", secret.ToString());
        await using (var scope = factory.Services.CreateAsyncScope()) // control: readable before
            Assert.Equal(AppEncryptionTests.GivenName, KeyRings.Of(scope.ServiceProvider.GetRequiredService<SspfDbContext>()).Decrypt(stored, location));

        Assert.True(await raw.ExecuteAsync($"UPDATE \"DataKeys\" SET \"OwnerId\" = {Encryption.Literal(elsewhere)} WHERE \"OwnerId\" = {Encryption.Literal(secret)}") >= 1);

        await using (var scope = factory.Services.CreateAsyncScope())
            Assert.Throws<DataKeyUnavailableException>(() => KeyRings.Of(scope.ServiceProvider.GetRequiredService<SspfDbContext>()).Decrypt(stored, location));
        var response = await (await scenario.As("samordnare")).Http.GetAsync($"/api/cases/{secret}");
        await response.EnsureStatusAsync(HttpStatusCode.InternalServerError);
        Assert.DoesNotContain(AppEncryptionTests.GivenName, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task AGuardianMovedToAnotherCase_IsRefusedThere_NotShown()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var (secret, _) = await Encryption.OpenSecretCaseAsync(scenario);
        var other = await scenario.OpenCaseAsync(age: 16);
        var raw = new RawDatabase(factory);

        Assert.Equal(1, await raw.ExecuteAsync($"UPDATE \"Guardians\" SET \"CaseId\" = {Encryption.Literal(other)} WHERE \"CaseId\" = {Encryption.Literal(secret)}"));

        var response = await (await scenario.As("samordnare")).Http.GetAsync($"/api/cases/{other}");
        await response.EnsureStatusAsync(HttpStatusCode.InternalServerError);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("CiphertextTampered", body);
        Assert.DoesNotContain(AppEncryptionTests.Phone, body);
        Assert.DoesNotContain(AppEncryptionTests.FamilyName, body);
    }
}
