using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using SspfSamordning.Api.Tests.Infrastructure;

namespace SspfSamordning.Api.Tests.Performance;

/// <summary>
/// Issue 22, round fifteen: the list's page statement (the visible page's ids, data keys and capped total) carries its page
/// size and count cap as constants and no OFFSET on the first page. With either as a parameter PostgreSQL judged a generic
/// plan costlier than a custom one and planned the statement on every call (pg_stat_statements: one plan per call, planning
/// as long as executing). A later page's offset stays a parameter: a caller could vary it without end, and each value
/// would be a new statement text.
/// </summary>
public sealed partial class ListPageStatementsTests(CaseReadStatementsTests.CountingFactory factory) : IClassFixture<CaseReadStatementsTests.CountingFactory>
{
    [Fact]
    public async Task TheFirstPage_HasItsSizeAsAConstantAndNoOffset_ALaterPageItsOffsetAsAParameter()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var opened = new List<Guid>();
        for (var i = 0; i < 3; i++) opened.Add(await scenario.OpenCaseAsync());
        var samordnare = await scenario.As("samordnare");

        var (first, firstCommands) = await factory.Counter.DuringAsync(() => samordnare.Http.GetAsync("/api/cases?pageSize=2"));
        var (second, secondCommands) = await factory.Counter.DuringAsync(() => samordnare.Http.GetAsync("/api/cases?page=2&pageSize=2"));

        var firstPage = CaseReadStatementsTests.CommandCounter.CasesWithKeys(firstCommands);
        Assert.Matches(LimitTwo(), firstPage);
        Assert.DoesNotContain("OFFSET", firstPage, StringComparison.OrdinalIgnoreCase);
        var secondPage = CaseReadStatementsTests.CommandCounter.CasesWithKeys(secondCommands);
        Assert.Matches(LimitTwo(), secondPage);
        Assert.Matches(OffsetParameter(), secondPage);
        // The pages are still the right ones: newest first, two and then the rest, none twice.
        var listed = (await IdsAsync(first)).Concat(await IdsAsync(second)).ToList();
        Assert.Equal(2, (await IdsAsync(await samordnare.Http.GetAsync("/api/cases?pageSize=2"))).Count);
        Assert.Equal(listed.Distinct().Count(), listed.Count);
        Assert.Superset(opened.ToHashSet(), listed.ToHashSet());
    }

    private static async Task<List<Guid>> IdsAsync(HttpResponseMessage response)
    {
        await response.EnsureStatusAsync(HttpStatusCode.OK);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return body.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetGuid()).ToList();
    }

    [GeneratedRegex(@"LIMIT 2\b")]
    private static partial Regex LimitTwo();

    /// <summary>SQLite's and the PostgreSQL provider's parameter forms (<c>@name</c>, <c>$n</c>).</summary>
    [GeneratedRegex(@"OFFSET [@$]\w+")]
    private static partial Regex OffsetParameter();
}
