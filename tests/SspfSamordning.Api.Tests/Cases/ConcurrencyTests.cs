using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SspfSamordning.Api.Infrastructure.Persistence;
using SspfSamordning.Api.Tests.Infrastructure;
using SspfSamordning.Domain;

namespace SspfSamordning.Api.Tests.Cases;

public sealed class ConcurrencyTests(SspfApiFactory factory) : IClassFixture<SspfApiFactory>
{
    [Fact]
    public async Task TwoEditsOfOneCase_FromStaleCopies_SecondSaveIsRefused()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var caseId = await scenario.OpenCaseAsync();
        var skola = await scenario.UserIdAsync("skola");
        var fritid = await scenario.UserIdAsync("fritid");
        var actor = await scenario.UserIdAsync("samordnare");
        var now = factory.Clock.GetUtcNow();

        await using var first = factory.Services.CreateAsyncScope();
        await using var second = factory.Services.CreateAsyncScope();
        var db1 = first.ServiceProvider.GetRequiredService<SspfDbContext>();
        var db2 = second.ServiceProvider.GetRequiredService<SspfDbContext>();
        var copy1 = await db1.Cases.Include(c => c.Members).SingleAsync(c => c.Id == caseId);
        var copy2 = await db2.Cases.Include(c => c.Members).SingleAsync(c => c.Id == caseId);

        // Different children of the same aggregate: only the root's version can see the conflict.
        copy1.AddMember(skola, Party.Skola, actor, now);
        copy2.AddMember(fritid, Party.Fritid, actor, now);
        await db1.SaveChangesAsync();
        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => db2.SaveChangesAsync());

        var members = (await scenario.GetCaseAsync(caseId)).GetProperty("members").EnumerateArray().Select(m => m.GetProperty("userId").GetGuid());
        Assert.Equal([skola], members);
    }

    [Fact]
    public async Task ConcurrentRequests_OnOneCase_NeverLoseAnUpdate()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var coordinator = await scenario.As("samordnare");
        var users = new[] { await scenario.UserIdAsync("skola"), await scenario.UserIdAsync("fritid") };
        for (var round = 0; round < 5; round++)
        {
            var caseId = await scenario.OpenCaseAsync();
            var responses = await Task.WhenAll(users.Select(u =>
                coordinator.Http.PostAsJsonAsync($"/api/cases/{caseId}/members", new { userId = u })));
            Assert.All(responses, r => Assert.Contains(r.StatusCode, new[] { HttpStatusCode.Created, HttpStatusCode.Conflict }));

            var succeeded = users.Where((_, i) => responses[i].StatusCode == HttpStatusCode.Created).ToHashSet();
            var members = (await scenario.GetCaseAsync(caseId)).GetProperty("members").EnumerateArray()
                .Select(m => m.GetProperty("userId").GetGuid()).ToHashSet();
            Assert.Equal(succeeded, members); // every 201 is stored, every 409 stored nothing
            Assert.NotEmpty(succeeded);
            foreach (var refused in responses.Where(r => r.StatusCode == HttpStatusCode.Conflict))
            {
                Assert.Equal("ConcurrentUpdate", (await refused.JsonAsync()).GetProperty("code").GetString());
            }
        }
    }
}
