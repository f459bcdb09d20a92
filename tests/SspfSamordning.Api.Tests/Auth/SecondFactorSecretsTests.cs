using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Api.Tests.Infrastructure;

namespace SspfSamordning.Api.Tests.Auth;

/// <summary>Issue 23 items 2 and 7: second-factor secrets at rest, and the TOTP replay guard against concurrent user updates.</summary>
public sealed class SecondFactorSecretsTests(SspfApiFactory factory) : IClassFixture<SspfApiFactory>
{
    [Fact]
    public async Task RawDatabase_HoldsNeitherTheAuthenticatorKeyNorAnyRecoveryCode()
    {
        var client = factory.CreateSspfClient();
        var email = SspfClient.Demo("polis");
        var key = await client.EnrolAsync(email);
        var codes = client.RecoveryCodes[email];
        Assert.Equal(10, codes.Count);

        var values = await new RawDatabase(factory).AllValuesAsync();
        var tokens = values.Where(v => v.Table == "AspNetUserTokens").Select(v => v.Value).ToList();
        Assert.Contains(tokens, t => t.StartsWith("dp1:", StringComparison.Ordinal));
        Assert.Contains(tokens, t => t.StartsWith("h1:", StringComparison.Ordinal));
        foreach (var (table, value) in values)
        {
            Assert.False(value.Contains(key, StringComparison.OrdinalIgnoreCase), $"the authenticator key is readable in {table}");
            foreach (var code in codes)
            {
                Assert.False(value.Contains(code, StringComparison.OrdinalIgnoreCase), $"a recovery code is readable in {table}");
                Assert.False(value.Contains(code.Replace("-", "", StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase), $"a recovery code is readable in {table}");
            }
        }

        // And both still work: a code from the key, then a recovery code once.
        factory.Clock.Advance(TimeSpan.FromSeconds(Totp.StepSeconds));
        await (await client.TokenAsync(email, code: client.CodeFor(key))).EnsureStatusAsync(HttpStatusCode.OK);
        await (await client.TokenAsync(email, recoveryCode: codes[3])).EnsureStatusAsync(HttpStatusCode.OK);
        await (await client.TokenAsync(email, recoveryCode: codes[3])).EnsureOAuthErrorAsync("invalid_grant");
    }

    [Fact]
    public async Task AuthenticatorKey_CopiedToAnotherUsersRow_DoesNotWorkThere()
    {
        var attacker = factory.CreateSspfClient();
        var attackerEmail = SspfClient.Demo("fritid");
        var attackerKey = await attacker.EnrolAsync(attackerEmail);
        var victimEmail = SspfClient.Demo("skola");
        await factory.CreateSspfClient().EnrolAsync(victimEmail);

        // With write access to the database, copy one's own (encrypted) key over the victim's.
        var raw = new RawDatabase(factory);
        var copied = await raw.ExecuteAsync(
            $"UPDATE \"AspNetUserTokens\" SET \"Value\" = (SELECT t.\"Value\" FROM \"AspNetUserTokens\" t JOIN \"AspNetUsers\" u ON u.\"Id\" = t.\"UserId\" WHERE u.\"Email\" = '{attackerEmail}' AND t.\"Name\" = 'AuthenticatorKey') "
            + $"WHERE \"Name\" = 'AuthenticatorKey' AND \"UserId\" = (SELECT \"Id\" FROM \"AspNetUsers\" WHERE \"Email\" = '{victimEmail}')");
        Assert.Equal(1, copied);

        factory.Clock.Advance(TimeSpan.FromSeconds(Totp.StepSeconds));
        await (await attacker.TokenAsync(victimEmail, code: attacker.CodeFor(attackerKey))).EnsureOAuthErrorAsync("invalid_grant");
    }

    [Fact]
    public async Task TotpCode_UsedWhileAStaleCopyOfTheUserIsSaved_IsStillRefusedOnReplay()
    {
        var client = factory.CreateSspfClient();
        var email = SspfClient.Demo("socialsekreterare");
        var key = await client.EnrolAsync(email);
        factory.Clock.Advance(TimeSpan.FromSeconds(Totp.StepSeconds));
        var code = client.CodeFor(key);

        // Another request (any UserManager update) loaded the user before the code was used ...
        await using var scope = factory.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var stale = (await users.FindByEmailAsync(email))!;

        await (await client.TokenAsync(email, code: code)).EnsureStatusAsync(HttpStatusCode.OK);

        // ... and saves it after: the update succeeds, but must not write the old last-used step back.
        stale.DisplayName = "Ändrad samtidigt";
        Assert.True((await users.UpdateAsync(stale)).Succeeded);

        await (await client.TokenAsync(email, code: code)).EnsureOAuthErrorAsync("invalid_grant");
    }

    [Fact]
    public async Task TotpCode_UnderConcurrentLoginsAndUserUpdates_IsAcceptedExactlyOnce()
    {
        var email = SspfClient.Demo("samordnare");
        var key = await factory.CreateSspfClient().EnrolAsync(email);
        factory.Clock.Advance(TimeSpan.FromSeconds(Totp.StepSeconds));
        var code = factory.CreateSspfClient().CodeFor(key);

        var logins = Enumerable.Range(0, 6).Select(_ => factory.CreateSspfClient().TokenAsync(email, code: code)).ToList();
        var updates = Enumerable.Range(0, 6).Select(async i =>
        {
            await using var scope = factory.Services.CreateAsyncScope();
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            var user = (await users.FindByEmailAsync(email))!;
            await Task.Yield();
            user.DisplayName = "Samtidig " + i;
            await users.UpdateAsync(user); // may lose a concurrency race; either way it must not reopen the code
        }).ToList();
        var answers = await Task.WhenAll(logins);
        await Task.WhenAll(updates);

        Assert.Single(answers, a => a.StatusCode == HttpStatusCode.OK);
        await (await factory.CreateSspfClient().TokenAsync(email, code: code)).EnsureOAuthErrorAsync("invalid_grant");
    }
}
