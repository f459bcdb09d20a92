using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SspfSamordning.Api.Infrastructure.Persistence;
using SspfSamordning.Api.Tests.Infrastructure;
using SspfSamordning.Domain;

namespace SspfSamordning.Api.Tests.Tasks;

/// <summary>
/// TEST ARRANGEMENT ONLY — not an API path. Puts a case into a state whose endpoint is built on another branch
/// (POST /api/cases/{id}/consents), by loading the aggregate with the app's own DbContext and calling the domain
/// method with the factory clock and the app's CaseRules. Replace with the endpoint once it is merged.
/// </summary>
public static class TestArrangement
{
    public static async Task RequestConsentDirectlyAsync(SspfApiFactory factory, Guid caseId, Guid requestedByUserId)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SspfDbContext>();
        var rules = scope.ServiceProvider.GetRequiredService<IOptions<CaseRules>>().Value;
        var @case = await db.Cases
            .Include(c => c.Consents)
            .Include(c => c.Deadlines.Where(d => d.State == DeadlineState.Open))
            .SingleAsync(c => c.Id == caseId);
        @case.RequestConsent([Party.Skola, Party.Socialtjanst, Party.Polis, Party.Fritid],
            [InformationCategory.Basic, InformationCategory.School], requestedByUserId, factory.Clock.GetUtcNow(), rules);
        await db.SaveChangesAsync();
    }
}
