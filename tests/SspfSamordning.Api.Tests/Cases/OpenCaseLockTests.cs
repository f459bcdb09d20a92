using System.Data.Common;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using SspfSamordning.Api.Infrastructure.Encryption;
using SspfSamordning.Api.Tests.Infrastructure;

namespace SspfSamordning.Api.Tests.Cases;

/// <summary>
/// Issue 23 item 21: the personnummer's blind index (PBKDF2, deliberately slow) is computed before the municipality's
/// case-number lock is taken, so openings in one municipality do not queue behind each other's CPU work. The test
/// holds that lock itself while an opening arrives: once it lets go, the opening must finish in its database work
/// alone — with the index computed under the lock (as before) it still had two index computations ahead of it.
/// </summary>
public sealed class OpenCaseLockTests(OpenCaseLockTests.Factory factory) : IClassFixture<OpenCaseLockTests.Factory>
{
    public sealed class Factory : SspfApiFactory
    {
        // Production's order of cost (100,000 iterations on a server core is tens of milliseconds); here enough that one
        // computation clearly outlasts the opening's database work.
        public Factory() => Settings["Encryption:BlindIndexIterations"] = "1500000";
    }

    [Fact]
    public async Task OpenCase_ComputesTheBlindIndexBeforeTakingTheCaseNumberLock()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        await scenario.OpenCaseAsync(); // this year's counter exists; everything is warm
        var index = factory.Services.GetRequiredService<BlindIndex>();
        // The machine is shared: the fastest of three is the computation's own cost, the slowest bounds the wait below.
        var timer = new Stopwatch();
        var computations = Enumerable.Range(0, 3).Select(_ =>
        {
            timer.Restart();
            index.Compute(TestPersonnummer.AgedOn(30, factory.Clock.GetUtcNow()));
            return timer.Elapsed;
        }).ToList();
        var oneComputation = computations.Min();

        await using var holder = await new RawDatabase(factory).OpenAsync();
        await RawDatabase.ExecuteOnAsync(holder, factory.Sql.HoldCaseNumberCounters);
        var opening = scenario.OpenCaseResponseAsync(TestPersonnummer.AgedOn(15, factory.Clock.GetUtcNow()));
        // Long enough for the opening to compute its index (the lock is what it waits for now).
        await Task.Delay(3 * computations.Max() + TimeSpan.FromSeconds(1));
        Assert.False(opening.IsCompleted, "the opening should wait for the case-number lock");
        timer.Restart();
        await RawDatabase.ExecuteOnAsync(holder, "COMMIT");
        var response = await opening;
        var afterRelease = timer.Elapsed;

        await response.EnsureStatusAsync(HttpStatusCode.Created);
        Assert.True(afterRelease < oneComputation * 0.5,
            $"after the lock was released the opening took {afterRelease.TotalMilliseconds:F0} ms; one blind-index computation takes {oneComputation.TotalMilliseconds:F0} ms");
    }
}
