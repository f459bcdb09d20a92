using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Api.Infrastructure.Persistence;
using SspfSamordning.Api.Tests.Infrastructure;
using SspfSamordning.Domain;

namespace SspfSamordning.Api.Tests.Admin;

/// <summary>
/// Organisation the demo seed lacks, written straight through the app's own services (there is no endpoint that
/// creates units or a first administrator): an administrator of Falköping, and a unit shared by both municipalities.
/// </summary>
public static class AdminTestData
{
    public const string SharedUnitName = "Lokalpolisområde Falkenberg–Falköping";

    /// <summary>Creates the account once per factory (Demo password) and returns its id.</summary>
    public static async Task<Guid> AccountAsync(SspfApiFactory factory, string email, string role, string unitName)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        if (await users.FindByEmailAsync(email) is { } known) return known.Id;
        var unit = await scope.ServiceProvider.GetRequiredService<SspfDbContext>().PartyUnits.SingleAsync(u => u.Name == unitName);
        var user = new AppUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = email.Split('@')[0], UnitId = unit.Id };
        Assert.True((await users.CreateAsync(user, SspfClient.DemoPassword)).Succeeded);
        Assert.True((await users.AddToRoleAsync(user, role)).Succeeded);
        return user.Id;
    }

    public static async Task<SspfClient> FalkopingAdminAsync(SspfApiFactory factory)
    {
        await AccountAsync(factory, SspfClient.Demo("admin", "falkoping"), Roles.Administrator, "Kommunledningskontoret Falköping");
        var client = factory.CreateSspfClient();
        await client.SignInAsync(SspfClient.Demo("admin", "falkoping"));
        return client;
    }

    /// <summary>A police unit serving Falkenberg and Falköping (once per factory), with one officer; returns both ids.</summary>
    public static async Task<(Guid UnitId, Guid OfficerId)> SharedUnitAsync(SspfApiFactory factory)
    {
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<SspfDbContext>();
            if (!await db.PartyUnits.AnyAsync(u => u.Name == SharedUnitName))
            {
                var municipalities = await db.Municipalities.Select(m => m.Id).ToListAsync();
                Assert.Equal(2, municipalities.Count);
                db.PartyUnits.Add(new PartyUnit
                {
                    Name = SharedUnitName, Party = Party.Polis,
                    Municipalities = [.. municipalities.Select(m => new UnitMunicipality { MunicipalityId = m })],
                });
                await db.SaveChangesAsync();
            }
        }
        var officerId = await AccountAsync(factory, "polis.delad@falkenberg.example", Roles.Polis, SharedUnitName);
        await using var read = factory.Services.CreateAsyncScope();
        var unitId = await read.ServiceProvider.GetRequiredService<SspfDbContext>().PartyUnits.Where(u => u.Name == SharedUnitName).Select(u => u.Id).SingleAsync();
        return (unitId, officerId);
    }
}
