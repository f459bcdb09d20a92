using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SspfSamordning.Api.Infrastructure.Audit;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Api.Infrastructure.Persistence;
using SspfSamordning.Api.Tests.Infrastructure;

namespace SspfSamordning.Api.Tests.Auth;

public sealed class SessionTests(SspfApiFactory factory) : IClassFixture<SspfApiFactory>
{
    [Fact]
    public async Task Refresh_RotatesAndReuseRevokesTheWholeFamily()
    {
        var client = factory.CreateSspfClient();
        var first = await client.SignInWithPasswordAsync(SspfClient.Demo("fritid"));

        var rotated = await client.UseTokensAsync(await client.RefreshAsync(first.RefreshToken));
        Assert.NotEqual(first.RefreshToken, rotated.RefreshToken);
        await (await client.Http.GetAsync("/api/me")).EnsureStatusAsync(HttpStatusCode.OK);

        // The spent token, presented again, is refused and ends the session: the rotated token and its access token die too.
        await (await client.RefreshAsync(first.RefreshToken)).EnsureOAuthErrorAsync("invalid_grant");
        await (await client.RefreshAsync(rotated.RefreshToken)).EnsureOAuthErrorAsync("invalid_grant");
        await (await client.Http.GetAsync("/api/me")).EnsureStatusAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task RefreshTokenReuse_RevokesTheSignInSession_AndIsLogged_ButAnOrdinaryRefreshIsNot()
    {
        var email = SspfClient.Demo("socialsekreterare");
        var sessionsBefore = await SessionIdsAsync();
        var client = factory.CreateSspfClient();
        var first = await client.SignInWithPasswordAsync(email);
        var userId = (await (await client.Http.GetAsync("/api/me")).JsonAsync()).GetProperty("id").GetGuid();
        var sessionId = Assert.Single((await SessionIdsAsync()).Except(sessionsBefore));
        var before = await factory.AccessEventsAsync(AuditAction.RefreshTokenReuse);
        var reuseEvents = before.Count;

        // The first use of a refresh token is no reuse: the session stays, nothing is logged as theft.
        var rotated = await client.UseTokensAsync(await client.RefreshAsync(first.RefreshToken));
        Assert.Null((await SessionAsync(sessionId)).RevokedAt);
        Assert.Equal(reuseEvents, (await factory.AccessEventsAsync(AuditAction.RefreshTokenReuse)).Count);

        // The spent token again: refused, the session is revoked for that reason and the event names the account.
        await (await client.RefreshAsync(first.RefreshToken)).EnsureOAuthErrorAsync("invalid_grant");
        var session = await SessionAsync(sessionId);
        Assert.NotNull(session.RevokedAt);
        Assert.Equal(RefreshTokenReuseHandler.RevokedReason, session.RevokedReason);
        var reuse = SspfApiFactory.AddedSince(await factory.AccessEventsAsync(AuditAction.RefreshTokenReuse), before);
        var logged = Assert.Single(reuse);
        Assert.Equal(userId, logged.ActorUserId);
        Assert.Equal(AuditDecision.Refused, logged.Decision);
        Assert.DoesNotContain(first.RefreshToken, logged.Purpose ?? "", StringComparison.Ordinal);
        // Logged once, not again as an ordinary refusal.
        Assert.DoesNotContain(await factory.AccessEventsAsync(AuditAction.OAuthRefused), e => e.CorrelationId == logged.CorrelationId);

        // Everything of that session is dead: the reused token, the rotated one and the current access token.
        await (await client.Http.GetAsync("/api/me")).EnsureStatusAsync(HttpStatusCode.Unauthorized);
        await (await client.RefreshAsync(first.RefreshToken)).EnsureOAuthErrorAsync("invalid_grant");
        await (await client.RefreshAsync(rotated.RefreshToken)).EnsureOAuthErrorAsync("invalid_grant");

        // Another session of the same person is not touched by the theft of this one.
        var other = factory.CreateSspfClient();
        await other.SignInWithPasswordAsync(email);
        await (await other.Http.GetAsync("/api/me")).EnsureStatusAsync(HttpStatusCode.OK);
    }

    private async Task<List<Guid>> SessionIdsAsync()
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<SspfDbContext>().AuthSessions.Select(s => s.Id).ToListAsync();
    }

    private async Task<AuthSession> SessionAsync(Guid id)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<SspfDbContext>().AuthSessions.AsNoTracking().SingleAsync(s => s.Id == id);
    }

    [Fact]
    public async Task Refresh_UnknownToken_IsRefused()
    {
        var client = factory.CreateSspfClient();
        await (await client.RefreshAsync("not-a-token")).EnsureOAuthErrorAsync("invalid_grant");
    }

    [Fact]
    public async Task Logout_EndsAccessAndRefreshTokens()
    {
        var client = factory.CreateSspfClient();
        var tokens = await client.SignInWithPasswordAsync(SspfClient.Demo("skola"));
        await (await client.Http.PostAsync("/api/auth/logout", null)).EnsureStatusAsync(HttpStatusCode.NoContent);
        await (await client.Http.GetAsync("/api/me")).EnsureStatusAsync(HttpStatusCode.Unauthorized);
        await (await client.RefreshAsync(tokens.RefreshToken)).EnsureOAuthErrorAsync("invalid_grant");
    }

    [Fact]
    public async Task DisabledUser_ExistingAccessTokenIsRefusedOnNextRequest()
    {
        var victim = factory.CreateSspfClient();
        await victim.SignInWithPasswordAsync(SspfClient.Demo("polis"));
        await (await victim.Http.GetAsync("/api/me")).EnsureStatusAsync(HttpStatusCode.OK);
        var victimId = (await (await victim.Http.GetAsync("/api/me")).JsonAsync()).GetProperty("id").GetGuid();

        var admin = factory.CreateSspfClient();
        await admin.SignInAsync(SspfClient.Demo("admin"));
        await (await admin.Http.PostAsync($"/api/admin/users/{victimId}/disable", null)).EnsureStatusAsync(HttpStatusCode.NoContent);

        await (await victim.Http.GetAsync("/api/me")).EnsureStatusAsync(HttpStatusCode.Unauthorized);
        await (await victim.TokenAsync(SspfClient.Demo("polis"))).EnsureOAuthErrorAsync("invalid_grant");
        await (await victim.TokenAsync(SspfClient.Demo("polis"))).EnsureOAuthErrorAsync("invalid_grant");
    }

    [Fact]
    public async Task RoleChange_TakesEffectOnNextRequest()
    {
        var user = factory.CreateSspfClient();
        await user.SignInWithPasswordAsync(SspfClient.Demo("analytiker"));
        var id = (await (await user.Http.GetAsync("/api/me")).JsonAsync()).GetProperty("id").GetGuid();

        var admin = factory.CreateSspfClient();
        await admin.SignInAsync(SspfClient.Demo("admin"));
        var changed = await admin.Http.PutAsJsonAsync($"/api/admin/users/{id}/roles", new { roles = new[] { "Granskare" } });
        await changed.EnsureStatusAsync(HttpStatusCode.Accepted);
        await (await user.Http.GetAsync("/api/me")).EnsureStatusAsync(HttpStatusCode.OK); // pending: nothing changed yet
        var approver = factory.CreateSspfClient();
        await approver.SignInAsync(SspfClient.Demo(Admin.AdminSteps.SecondAdmin));
        await Admin.AdminSteps.ApproveAsync(approver, changed);

        await (await user.Http.GetAsync("/api/me")).EnsureStatusAsync(HttpStatusCode.Unauthorized);
        await user.SignInWithPasswordAsync(SspfClient.Demo("analytiker"));
        var me = await (await user.Http.GetAsync("/api/me")).JsonAsync();
        Assert.Equal(["Granskare"], me.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
    }

    [Fact]
    public async Task ChangePassword_NeedsCurrentPasswordAndEndsEverySession()
    {
        var client = factory.CreateSspfClient();
        var email = SspfClient.Demo("samordnare", "falkoping");
        var tokens = await client.SignInWithPasswordAsync(email);

        var wrong = await client.Http.PostAsJsonAsync("/api/auth/password", new { currentPassword = "Fel-losenord-123!", newPassword = "Ett-nytt-losen-2026" });
        await wrong.EnsureStatusAsync(HttpStatusCode.BadRequest);
        var weak = await client.Http.PostAsJsonAsync("/api/auth/password", new { currentPassword = SspfClient.DemoPassword, newPassword = "kort" });
        await weak.EnsureStatusAsync(HttpStatusCode.BadRequest);
        Assert.Contains("Lösenordet", await weak.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var changed = await client.Http.PostAsJsonAsync("/api/auth/password", new { currentPassword = SspfClient.DemoPassword, newPassword = "Ett-nytt-losen-2026" });
        await changed.EnsureStatusAsync(HttpStatusCode.NoContent);
        await (await client.Http.GetAsync("/api/me")).EnsureStatusAsync(HttpStatusCode.Unauthorized);
        await (await client.RefreshAsync(tokens.RefreshToken)).EnsureOAuthErrorAsync("invalid_grant");
        await client.SignInWithPasswordAsync(email, "Ett-nytt-losen-2026");
    }
}
