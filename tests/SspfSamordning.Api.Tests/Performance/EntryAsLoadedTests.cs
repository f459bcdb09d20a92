using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SspfSamordning.Api.Infrastructure.Persistence;
using SspfSamordning.Api.Tests.Consents;
using SspfSamordning.Api.Tests.Infrastructure;
using SspfSamordning.Domain;
using SspfSamordning.Domain.Cases;

namespace SspfSamordning.Api.Tests.Performance;

/// <summary>
/// Issue 22, round thirteen: <see cref="SspfDbContext.EntryAsLoaded{TEntity}"/> (the Reopen's read of the case's blind
/// index) reads a tracked entity's values as loaded without EF's scan for changes — which the save still makes, once,
/// so a change made before the read is saved all the same — and leaves automatic detection as it was.
/// </summary>
public sealed class EntryAsLoadedTests(SspfApiFactory factory) : IClassFixture<SspfApiFactory>
{
    [Fact]
    public async Task ReadsWhatWasLoaded_WithoutScanningForChanges_AndTheSaveStillWritesTheChange()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var caseId = await scenario.OpenCaseAsync();
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<SspfDbContext>();
            var rules = scope.ServiceProvider.GetRequiredService<IOptions<CaseRules>>().Value;
            var @case = await db.Cases.SingleAsync(c => c.Id == caseId);
            @case.Close(CloseReason.GoalsReached, null, Guid.NewGuid(), DateTimeOffset.UtcNow, rules);

            var loaded = db.EntryAsLoaded(@case);
            Assert.Equal(EntityState.Unchanged, loaded.State); // not scanned: the close is not seen yet
            Assert.False(string.IsNullOrEmpty(loaded.Property<string?>(Aggregates.PersonnummerIndex).CurrentValue));
            Assert.True(db.ChangeTracker.AutoDetectChangesEnabled);
            Assert.Equal(EntityState.Modified, db.Entry(@case).State); // Entry() scans

            await db.SaveChangesAsync();
        }
        Assert.Equal("Closed", await scenario.CaseStateAsync(caseId));
    }
}
