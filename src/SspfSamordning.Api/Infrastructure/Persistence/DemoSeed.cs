using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Domain;

namespace SspfSamordning.Api.Infrastructure.Persistence;

/// <summary>
/// Development only: Falkenberg with one unit of each party and one user per role, and Falköping with its
/// own samordnare to show isolation. Runs once, on an empty database. Password from <c>Demo:Password</c>.
/// </summary>
public static class DemoSeed
{
    public const string DefaultPassword = "Sspf-demo-2026!";

    public static readonly IReadOnlyList<(string Email, string Role, Party Party)> FalkenbergUsers =
    [
        ("samordnare@falkenberg.example", Roles.Samordnare, Party.Annan),
        ("socialsekreterare@falkenberg.example", Roles.Socialsekreterare, Party.Socialtjanst),
        ("polis@falkenberg.example", Roles.Polis, Party.Polis),
        ("skola@falkenberg.example", Roles.Skola, Party.Skola),
        ("fritid@falkenberg.example", Roles.Fritid, Party.Fritid),
        ("granskare@falkenberg.example", Roles.Granskare, Party.Annan),
        ("admin@falkenberg.example", Roles.Administrator, Party.Annan),
        // A second administrator: a role grant needs one administrator to ask and another to approve (four eyes).
        ("admin2@falkenberg.example", Roles.Administrator, Party.Annan),
        ("analytiker@falkenberg.example", Roles.Analytiker, Party.Annan),
    ];

    public static async Task SeedAsync(IServiceProvider services, string password)
    {
        var db = services.GetRequiredService<SspfDbContext>();
        if (await db.Municipalities.AnyAsync()) return;
        var roleManager = services.GetRequiredService<RoleManager<IdentityRole<Guid>>>();
        foreach (var role in Roles.All)
            Check(await roleManager.CreateAsync(new IdentityRole<Guid>(role)));

        var falkenberg = new Municipality { Name = "Falkenberg", Code = "1382" };
        var falkoping = new Municipality { Name = "Falköping", Code = "1499" };
        db.Municipalities.AddRange(falkenberg, falkoping);

        var units = new Dictionary<Party, PartyUnit>
        {
            [Party.Skola] = Unit("Falkenbergs skolor", Party.Skola, falkenberg),
            [Party.Socialtjanst] = Unit("Socialtjänsten Falkenberg", Party.Socialtjanst, falkenberg),
            // A lokalpolisområde can serve several municipalities; this one serves Falkenberg only.
            [Party.Polis] = Unit("Lokalpolisområde Falkenberg", Party.Polis, falkenberg),
            [Party.Fritid] = Unit("Fritid Falkenberg", Party.Fritid, falkenberg),
            [Party.Annan] = Unit("Kommunledningskontoret Falkenberg", Party.Annan, falkenberg),
        };
        var falkopingOffice = Unit("Kommunledningskontoret Falköping", Party.Annan, falkoping);
        db.PartyUnits.AddRange([.. units.Values, falkopingOffice]);
        await db.SaveChangesAsync();

        var users = services.GetRequiredService<UserManager<AppUser>>();
        foreach (var (email, role, party) in FalkenbergUsers)
            await CreateAsync(users, email, role, units[party].Id, password);
        await CreateAsync(users, "samordnare@falkoping.example", Roles.Samordnare, falkopingOffice.Id, password);
    }

    private static PartyUnit Unit(string name, Party party, Municipality municipality) =>
        new() { Name = name, Party = party, Municipalities = [new UnitMunicipality { MunicipalityId = municipality.Id }] };

    private static async Task CreateAsync(UserManager<AppUser> users, string email, string role, Guid unitId, string password)
    {
        var user = new AppUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = email.Split('@')[0], UnitId = unitId,
            MustChangePassword = false }; // the demo password is published: Development only
        Check(await users.CreateAsync(user, password));
        Check(await users.AddToRoleAsync(user, role));
    }

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded) throw new InvalidOperationException("Demo seed failed: " + string.Join("; ", result.Errors.Select(e => e.Description)));
    }
}
