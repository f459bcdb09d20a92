using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenIddict.Abstractions;
using SspfSamordning.Api.Infrastructure.Persistence;
using SspfSamordning.Api.Tests.Infrastructure;

namespace SspfSamordning.Api.Tests.Auth;

/// <summary>OpenIddict's token rows behind a handle, read and changed as an attacker with the database would.</summary>
public static class TokenRows
{
    /// <summary>The row of a reference token, found by OpenIddict's own lookup (its hash of the handle).</summary>
    public static async Task<SspfToken> RowAsync(this SspfApiFactory factory, string handle)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var found = await scope.ServiceProvider.GetRequiredService<IOpenIddictTokenManager>().FindByReferenceIdAsync(handle);
        return Assert.IsType<SspfToken>(found);
    }

    public static async Task ChangeRowAsync(this SspfApiFactory factory, Guid id, Action<SspfToken> change)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SspfDbContext>();
        var row = await db.Set<SspfToken>().SingleAsync(t => t.Id == id);
        change(row);
        await db.SaveChangesAsync();
    }
}
