using System.Net;
using System.Net.Http.Json;
using SspfSamordning.Api.Tests.Infrastructure;

namespace SspfSamordning.Api.Tests.Auth;

public sealed class TwoFactorTests(SspfApiFactory factory) : IClassFixture<SspfApiFactory>
{
    [Fact]
    public async Task Login_WhenTwoFactorEnabledAndCodeMissing_AsksForIt()
    {
        var client = factory.CreateSspfClient();
        await client.EnrolAsync(SspfClient.Demo("polis"));

        var response = await client.TokenAsync(SspfClient.Demo("polis"));
        Assert.True((await response.EnsureOAuthErrorAsync("invalid_grant")).GetProperty("two_factor_required").GetBoolean());
    }

    [Fact]
    public async Task Login_TotpCode_IsAcceptedOnceAndRefusedOnReplay()
    {
        var client = factory.CreateSspfClient();
        var email = SspfClient.Demo("socialsekreterare");
        var key = await client.EnrolAsync(email);
        factory.Clock.Advance(TimeSpan.FromSeconds(30));
        var code = client.CodeFor(key);

        await (await client.TokenAsync(email, code: code)).EnsureStatusAsync(HttpStatusCode.OK);
        await (await client.TokenAsync(email, code: code)).EnsureOAuthErrorAsync("invalid_grant");
        // Nor is a code of an earlier step accepted once a later one was used.
        factory.Clock.Advance(TimeSpan.FromSeconds(30));
        await (await client.TokenAsync(email, code: client.CodeFor(key))).EnsureStatusAsync(HttpStatusCode.OK);
        await (await client.TokenAsync(email, code: code)).EnsureOAuthErrorAsync("invalid_grant");
    }

    [Fact]
    public async Task Login_WrongCode_IsRefused()
    {
        var client = factory.CreateSspfClient();
        var email = SspfClient.Demo("fritid");
        await client.EnrolAsync(email);
        await (await client.TokenAsync(email, code: "000000")).EnsureOAuthErrorAsync("invalid_grant");
        await (await client.TokenAsync(email, code: "abc")).EnsureOAuthErrorAsync("invalid_grant");
    }

    [Fact]
    public async Task RecoveryCode_IsSingleUse()
    {
        var client = factory.CreateSspfClient();
        var email = SspfClient.Demo("granskare");
        await client.EnrolAsync(email);
        var recovery = client.RecoveryCodes[email][0];

        await (await client.TokenAsync(email, recoveryCode: recovery)).EnsureStatusAsync(HttpStatusCode.OK);
        await (await client.TokenAsync(email, recoveryCode: recovery)).EnsureOAuthErrorAsync("invalid_grant");
    }

    [Fact]
    public async Task WrongRecoveryCodes_CountTowardLockout()
    {
        var client = factory.CreateSspfClient();
        var email = SspfClient.Demo("analytiker");
        await client.EnrolAsync(email);
        for (var i = 0; i < 3; i++)
            await (await client.TokenAsync(email, recoveryCode: "FEL-KOD-" + i)).EnsureOAuthErrorAsync("invalid_grant");

        // Locked now: even an unused recovery code is refused.
        await (await client.TokenAsync(email, recoveryCode: client.RecoveryCodes[email][1])).EnsureOAuthErrorAsync("invalid_grant");
    }

    [Fact]
    public async Task PasswordOnlySession_CannotReachAdminEndpoints_UntilSecondFactor()
    {
        var client = factory.CreateSspfClient();
        var tokens = await client.SignInWithPasswordAsync(SspfClient.Demo("admin"));
        Assert.True(tokens.TwoFactorSetupRequired);
        var users = await client.Http.PostAsJsonAsync("/api/admin/users", new { });
        await users.EnsureStatusAsync(HttpStatusCode.Forbidden);

        await client.SignInAsync(SspfClient.Demo("admin"));
        var validated = await client.Http.PostAsJsonAsync("/api/admin/users", new { });
        await validated.EnsureStatusAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task TwoFactorSetup_RequiresCurrentPassword()
    {
        var client = factory.CreateSspfClient();
        await client.SignInWithPasswordAsync(SspfClient.Demo("skola"));
        var response = await client.Http.PostAsJsonAsync("/api/auth/2fa/setup", new { currentPassword = "Fel-losenord-123!" });
        await response.EnsureStatusAsync(HttpStatusCode.BadRequest);
        Assert.True((await response.JsonAsync()).GetProperty("errors").TryGetProperty("currentPassword", out _));
    }
}
