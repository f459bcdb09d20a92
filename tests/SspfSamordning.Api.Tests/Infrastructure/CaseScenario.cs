using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace SspfSamordning.Api.Tests.Infrastructure;

/// <summary>
/// Signed-in demo users of one factory (second factor enrolled, as in production) and helpers that drive a
/// case through the real endpoints. Create one per test class via <see cref="CreateAsync"/>.
/// </summary>
public sealed class CaseScenario
{
    private readonly SspfApiFactory factory;
    private readonly Dictionary<string, SspfClient> clients = new();

    private CaseScenario(SspfApiFactory factory) => this.factory = factory;

    public static Task<CaseScenario> CreateAsync(SspfApiFactory factory) => Task.FromResult(new CaseScenario(factory));

    /// <summary>A signed-in client for a demo user, e.g. "samordnare", "polis", or ("samordnare", "falkoping").</summary>
    public async Task<SspfClient> As(string name, string municipality = "falkenberg")
    {
        var email = SspfClient.Demo(name, municipality);
        if (clients.TryGetValue(email, out var known)) return known;
        var client = factory.CreateSspfClient();
        await client.SignInAsync(email);
        clients[email] = client;
        return client;
    }

    /// <summary>Signs every user of this scenario in again (same client objects): after the clock moved past the tokens' ten minutes.</summary>
    public async Task RenewSessionsAsync()
    {
        foreach (var (email, client) in clients) await client.SignInAsync(email);
    }

    public async Task<Guid> UserIdAsync(string name, string municipality = "falkenberg") =>
        (await (await (await As(name, municipality)).Http.GetAsync("/api/me")).JsonAsync()).GetProperty("id").GetGuid();

    public async Task<Guid> MunicipalityIdAsync(string municipality = "falkenberg") =>
        (await (await (await As("samordnare", municipality)).Http.GetAsync("/api/me")).JsonAsync())
            .GetProperty("municipalities")[0].GetProperty("id").GetGuid();

    /// <summary>Opens a case as the coordinator for a youth of <paramref name="age"/> with two guardians with custody; returns its id.</summary>
    public async Task<Guid> OpenCaseAsync(int age = 14, string? personnummer = null, bool protectedIdentity = false, string municipality = "falkenberg")
    {
        var response = await OpenCaseResponseAsync(personnummer ?? TestPersonnummer.AgedOn(age, factory.Clock.GetUtcNow()), protectedIdentity, municipality);
        await response.EnsureStatusAsync(HttpStatusCode.Created);
        return (await response.JsonAsync()).GetProperty("id").GetGuid();
    }

    public async Task<HttpResponseMessage> OpenCaseResponseAsync(string personnummer, bool protectedIdentity = false, string municipality = "falkenberg")
    {
        var coordinator = await As("samordnare", municipality);
        return await coordinator.Http.PostAsJsonAsync("/api/cases", new
        {
            municipalityId = await MunicipalityIdAsync(municipality),
            youth = new { personnummer, givenName = "Kim", familyName = "Testsson", school = "Tångaskolan", address = "Storgatan 1", protectedIdentity },
            guardians = new[]
            {
                new { givenName = "Anna", familyName = "Testsson", hasCustody = true, phone = "070-1234567", email = "anna@example.se" },
                new { givenName = "Per", familyName = "Testsson", hasCustody = true, phone = "070-7654321", email = "per@example.se" },
            },
            signalCategory = "CriminalActivity",
            proposedParties = new[] { "Skola", "Socialtjanst", "Polis", "Fritid" },
        });
    }

    public async Task AddMemberAsync(Guid caseId, string name)
    {
        var coordinator = await As("samordnare");
        var response = await coordinator.Http.PostAsJsonAsync($"/api/cases/{caseId}/members", new { userId = await UserIdAsync(name) });
        await response.EnsureStatusAsync(HttpStatusCode.Created);
    }

    public async Task<JsonElement> GetCaseAsync(Guid caseId, string name = "samordnare")
    {
        var response = await (await As(name)).Http.GetAsync($"/api/cases/{caseId}");
        await response.EnsureStatusAsync(HttpStatusCode.OK);
        return await response.JsonAsync();
    }
}
