using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenIddict.Core;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Api.Infrastructure.Persistence;
using SspfSamordning.Api.Tests.Infrastructure;
using SspfSamordning.Domain;

namespace SspfSamordning.Api.Tests.Auth;

/// <summary>
/// The claims a session gives (<see cref="SessionPrincipal"/>) for every shape of user — no role, several roles, no
/// municipality, several municipalities — exactly one claim per role and per municipality, the same by both carriers
/// (the bearer token's row, the web cookie's session), and a change of roles or of the unit's municipalities seen by
/// the very next request. Its own factory: it adds a third municipality, which other classes' data does not expect.
/// </summary>
public sealed class SessionClaimsTests(SspfApiFactory factory) : IClassFixture<SspfApiFactory>
{
    [Fact]
    public async Task TwoRolesInAUnitOfThreeMunicipalities_GetExactlyTwoRoleClaimsAndThreeMunicipalityClaims()
    {
        var municipalities = await AllMunicipalitiesAsync(withThird: true);
        Assert.Equal(3, municipalities.Count);
        var unit = await UnitAsync("Tre kommuners enhet", municipalities);
        var email = "tva.roller@falkenberg.example";
        await AccountAsync(email, unit, Roles.Samordnare, Roles.Granskare);

        var claims = await ClaimsOfBothCarriersAsync(email);
        Assert.Equal([Roles.Granskare, Roles.Samordnare], Values(claims, ClaimTypes.Role));
        Assert.Equal(municipalities.Select(m => m.ToString()).Order(StringComparer.Ordinal), Values(claims, SspfClaims.Municipality));
        Assert.Equal(unit.ToString(), Assert.Single(claims, c => c.Type == SspfClaims.Unit).Value);
        Assert.Equal(Party.Socialtjanst.ToString(), Assert.Single(claims, c => c.Type == SspfClaims.Party).Value);
    }

    [Fact]
    public async Task NoRoleInAUnitOfNoMunicipality_GetsNeitherClaim_ButIsSignedIn()
    {
        var unit = await UnitAsync("Enhet utan kommun", []);
        var email = "inga.roller@falkenberg.example";
        await AccountAsync(email, unit);

        var claims = await ClaimsOfBothCarriersAsync(email);
        Assert.Empty(Values(claims, ClaimTypes.Role));
        Assert.Empty(Values(claims, SspfClaims.Municipality));
        Assert.Equal(unit.ToString(), Assert.Single(claims, c => c.Type == SspfClaims.Unit).Value);
    }

    [Fact]
    public async Task ARoleAddedAndAMunicipalityRemoved_AreSeenByTheVeryNextRequest()
    {
        var municipalities = await AllMunicipalitiesAsync(withThird: false);
        var unit = await UnitAsync("Enhet som ändras", municipalities);
        var email = "andras@falkenberg.example";
        var userId = await AccountAsync(email, unit, Roles.Samordnare);
        var client = factory.CreateSspfClient();
        await client.SignInWithPasswordAsync(email);
        var before = await (await client.Http.GetAsync("/api/me")).JsonAsync();
        Assert.Equal([Roles.Samordnare], before.GetProperty("roles").EnumerateArray().Select(r => r.GetString()!));
        Assert.Equal(municipalities.Count, before.GetProperty("municipalities").GetArrayLength());

        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            Assert.True((await users.AddToRoleAsync((await users.FindByIdAsync(userId.ToString()))!, Roles.Granskare)).Succeeded);
            var db = scope.ServiceProvider.GetRequiredService<SspfDbContext>();
            db.Set<UnitMunicipality>().Remove(await db.Set<UnitMunicipality>().FirstAsync(m => m.UnitId == unit));
            await db.SaveChangesAsync();
        }

        // The same access token: nothing of it is read but its row.
        var after = await (await client.Http.GetAsync("/api/me")).JsonAsync();
        Assert.Equal([Roles.Granskare, Roles.Samordnare], after.GetProperty("roles").EnumerateArray().Select(r => r.GetString()!));
        Assert.Equal(municipalities.Count - 1, after.GetProperty("municipalities").GetArrayLength());
    }

    /// <summary>A type's values, sorted: the claims are a set, whatever order the database returns them in.</summary>
    private static List<string> Values(IEnumerable<Claim> claims, string type) =>
        claims.Where(c => c.Type == type).Select(c => c.Value).Order(StringComparer.Ordinal).ToList();

    /// <summary>Signs in (a bearer token) and builds the principal by the token's row and by the session (the web
    /// cookie's carrier); asserts both give the same claims, in the same order, and returns them.</summary>
    private async Task<List<Claim>> ClaimsOfBothCarriersAsync(string email)
    {
        var client = factory.CreateSspfClient();
        var tokens = await client.SignInWithPasswordAsync(email);
        await (await client.Http.GetAsync("/api/me")).EnsureStatusAsync(HttpStatusCode.OK);

        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SspfDbContext>();
        var options = scope.ServiceProvider.GetRequiredService<IOptions<AuthOptions>>().Value;
        var now = factory.Clock.GetUtcNow();
        var tokenManager = (SspfTokenManager)scope.ServiceProvider.GetRequiredService<OpenIddictTokenManager<SspfToken>>();
        var byToken = await SessionPrincipal.LoadForAccessTokenAsync(
            db, await tokenManager.HashHandleAsync(tokens.AccessToken, default), "test", now, options, default);
        Assert.NotNull(byToken);

        var user = await db.Users.AsNoTracking().SingleAsync(u => u.Email == email);
        var bySession = await SessionPrincipal.LoadAsync(
            db, user.Id, Guid.Parse(byToken.FindFirstValue(SspfClaims.SessionId)!), user.SecurityStamp!, "test", now, options, default);
        Assert.NotNull(bySession);

        var claims = byToken.Claims.ToList();
        Assert.Equal(claims.Select(c => (c.Type, c.Value)), bySession.Claims.Select(c => (c.Type, c.Value)));
        return claims;
    }

    private async Task<List<Guid>> AllMunicipalitiesAsync(bool withThird)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SspfDbContext>();
        if (withThird && !await db.Municipalities.AnyAsync(m => m.Code == "1383"))
        {
            db.Municipalities.Add(new Municipality { Name = "Varberg", Code = "1383" });
            await db.SaveChangesAsync();
        }
        return await db.Municipalities.Where(m => withThird || m.Code != "1383").Select(m => m.Id).ToListAsync();
    }

    private async Task<Guid> UnitAsync(string name, IReadOnlyList<Guid> municipalities)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SspfDbContext>();
        var unit = new PartyUnit
        {
            Name = name, Party = Party.Socialtjanst,
            Municipalities = [.. municipalities.Select(m => new UnitMunicipality { MunicipalityId = m })],
        };
        db.PartyUnits.Add(unit);
        await db.SaveChangesAsync();
        return unit.Id;
    }

    private async Task<Guid> AccountAsync(string email, Guid unitId, params string[] roles)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = new AppUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = email.Split('@')[0], UnitId = unitId };
        Assert.True((await users.CreateAsync(user, SspfClient.DemoPassword)).Succeeded);
        if (roles.Length > 0) Assert.True((await users.AddToRolesAsync(user, roles)).Succeeded);
        return user.Id;
    }
}
