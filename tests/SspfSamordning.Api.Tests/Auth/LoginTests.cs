using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Api.Infrastructure.Persistence;
using SspfSamordning.Api.Tests.Infrastructure;

namespace SspfSamordning.Api.Tests.Auth;

public sealed class LoginTests(SspfApiFactory factory) : IClassFixture<SspfApiFactory>
{
    public static TheoryData<string> DemoUsers() =>
        new([.. DemoSeed.FalkenbergUsers.Select(u => u.Email), "samordnare@falkoping.example"]);

    [Theory]
    [MemberData(nameof(DemoUsers))]
    public async Task Login_DemoUser_CanReadMe(string email)
    {
        var client = factory.CreateSspfClient();
        var tokens = await client.SignInWithPasswordAsync(email);
        Assert.Equal(600, tokens.ExpiresIn);
        Assert.True(tokens.TwoFactorSetupRequired);

        var me = await client.Http.GetAsync("/api/me");
        await me.EnsureStatusAsync(HttpStatusCode.OK);
        var body = await me.JsonAsync();
        Assert.Equal(email, body.GetProperty("email").GetString());
        var expectedRole = email.EndsWith("falkoping.example", StringComparison.Ordinal)
            ? "Samordnare"
            : DemoSeed.FalkenbergUsers.Single(u => u.Email == email).Role;
        Assert.Equal([expectedRole], body.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        Assert.Single(body.GetProperty("municipalities").EnumerateArray());
        Assert.Equal("no-store", me.Headers.CacheControl?.ToString());
    }

    [Fact]
    public async Task Login_WrongPasswordAndUnknownUser_AnswerIdentically()
    {
        var client = factory.CreateSspfClient();
        var wrongPassword = await client.TokenAsync(SspfClient.Demo("fritid"), "Fel-losenord-123!");
        var unknownUser = await client.TokenAsync("ingen@falkenberg.example", "Fel-losenord-123!");
        var missingFields = await client.TokenAsync(null, null);

        await wrongPassword.EnsureOAuthErrorAsync("invalid_grant");
        await unknownUser.EnsureOAuthErrorAsync("invalid_grant");
        var body = await wrongPassword.Content.ReadAsStringAsync();
        Assert.Equal(body, await unknownUser.Content.ReadAsStringAsync());
        Assert.Equal(wrongPassword.Content.Headers.ContentType, unknownUser.Content.Headers.ContentType);
        // Without a user name or password the request is malformed (OAuth's invalid_request), whoever is named.
        await missingFields.EnsureOAuthErrorAsync("invalid_request");
    }

    [Fact]
    public async Task AccessToken_AfterTenMinutes_IsRefused()
    {
        var client = factory.CreateSspfClient();
        await client.SignInWithPasswordAsync(SspfClient.Demo("analytiker"));
        await (await client.Http.GetAsync("/api/me")).EnsureStatusAsync(HttpStatusCode.OK);
        factory.Clock.Advance(TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(1));
        await (await client.Http.GetAsync("/api/me")).EnsureStatusAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task ForgedOrMissingToken_IsRefusedWithProblemDetails()
    {
        var client = factory.CreateSspfClient();
        var missing = await client.Http.GetAsync("/api/me");
        await missing.EnsureStatusAsync(HttpStatusCode.Unauthorized);
        client.Use("CfDJ8-not-a-real-token");
        await (await client.Http.GetAsync("/api/me")).EnsureStatusAsync(HttpStatusCode.Unauthorized);
    }
}

/// <summary>On a database of its own: the account it locks must not be one that other tests sign in with.</summary>
public sealed class LockoutTests(SspfApiFactory factory) : IClassFixture<SspfApiFactory>
{
    [Fact]
    public async Task Login_AfterConfiguredFailures_LocksAccountEvenForRightPassword()
    {
        var client = factory.CreateSspfClient();
        var email = SspfClient.Demo("skola");
        for (var i = 0; i < 3; i++)
            Assert.Equal(HttpStatusCode.BadRequest, (await client.TokenAsync(email, "Fel-losenord-123!")).StatusCode);

        var locked = await client.TokenAsync(email);
        await locked.EnsureOAuthErrorAsync("invalid_grant");
        var unknown = await client.TokenAsync("ingen@falkenberg.example", "Fel-losenord-123!");
        Assert.Equal(await unknown.Content.ReadAsStringAsync(), await locked.Content.ReadAsStringAsync());
    }
}

/// <summary>A password hasher that takes a second and a half per check, so that guesses sent together overlap.</summary>
public sealed class SlowPasswordCheckFactory : SspfApiFactory
{
    private sealed class SlowHasher : IPasswordHasher<AppUser>
    {
        private readonly PasswordHasher<AppUser> inner = new();
        public string HashPassword(AppUser user, string password) => inner.HashPassword(user, password);

        public PasswordVerificationResult VerifyHashedPassword(AppUser user, string hashedPassword, string providedPassword)
        {
            Thread.Sleep(1500);
            return inner.VerifyHashedPassword(user, hashedPassword, providedPassword);
        }
    }

    protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(services => services.AddScoped<IPasswordHasher<AppUser>, SlowHasher>());
    }
}

/// <summary>
/// Guesses sent in parallel: each used to pass the lockout check before any of them had recorded its failure, so a
/// right password among more wrong ones than the lockout allows still signed in. One check per account at a time.
/// </summary>
public sealed class ParallelGuessTests(SlowPasswordCheckFactory factory) : IClassFixture<SlowPasswordCheckFactory>
{
    [Fact]
    public async Task TheRightPassword_SentBehindParallelWrongOnes_IsRefusedOnceTheyLockTheAccount()
    {
        var email = SspfClient.Demo("fritid");
        var client = factory.CreateSspfClient();
        var wrong = Enumerable.Range(0, 3).Select(i => client.TokenAsync(email, "Fel-losenord-123!" + i)).ToList();
        await Task.Delay(1000); // all three are being checked (or wait their turn) when the right one arrives
        var right = await client.TokenAsync(email);
        foreach (var answer in await Task.WhenAll(wrong)) await answer.EnsureOAuthErrorAsync("invalid_grant");

        await right.EnsureOAuthErrorAsync("invalid_grant");
    }
}
