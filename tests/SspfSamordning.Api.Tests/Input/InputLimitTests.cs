using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SspfSamordning.Api.Features.Cases;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Api.Infrastructure.Encryption;
using SspfSamordning.Api.Infrastructure.Http;
using SspfSamordning.Api.Infrastructure.Persistence;
using SspfSamordning.Api.Tests.Cases;
using SspfSamordning.Api.Tests.Infrastructure;
using SspfSamordning.Api.Tests.Interventions;
using SspfSamordning.Domain;

namespace SspfSamordning.Api.Tests.Input;

/// <summary>Issue 15 items 2 and 3 through the real pipeline: body limits, text limits, bounded people, query values.</summary>
public sealed class InputLimitTests(SspfApiFactory factory) : IClassFixture<SspfApiFactory>
{
    private const int MaxBody = (int)RequestBodyLimits.DefaultMaxBodySize;

    [Fact]
    public void KestrelLimits_FromConfiguration_ReachKestrel()
    {
        factory.CreateClient().Dispose();
        var kestrel = factory.Services.GetRequiredService<IOptions<KestrelServerOptions>>().Value;
        Assert.Equal(RequestBodyLimits.DefaultMaxBodySize, kestrel.Limits.MaxRequestBodySize);
    }

    private static FormUrlEncodedContent PasswordGrant(string username) => new(new Dictionary<string, string>
    {
        ["grant_type"] = "password", ["client_id"] = OpenIdServer.DevelopmentClientId, ["username"] = username, ["password"] = "x",
    });

    /// <summary>A password grant whose user name is <c>size</c> bytes, written as it goes: no Content-Length.</summary>
    private sealed class StreamedForm : HttpContent
    {
        private readonly int size;

        public StreamedForm(int size)
        {
            this.size = size;
            Headers.ContentType = new("application/x-www-form-urlencoded");
        }

        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes($"grant_type=password&client_id={OpenIdServer.DevelopmentClientId}&password=x&username="));
            var chunk = Encoding.ASCII.GetBytes(new string('a', 64 * 1024));
            for (var written = 0; written < size; written += chunk.Length) await stream.WriteAsync(chunk);
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }

    [Fact]
    public async Task AnonymousLogin_WithAHugeBody_Is413ProblemDetails_DeclaredOrStreamed()
    {
        var client = factory.CreateClient();
        // 20 MiB user name to the token endpoint, streamed (no Content-Length): refused once 16 KiB have been read.
        var streamed = await client.PostAsync(OpenIdServer.TokenPath, new StreamedForm(20 * 1024 * 1024));
        await AssertTooLargeAsync(streamed);
        // Declared: refused before the body is read.
        var declared = await client.PostAsync(OpenIdServer.TokenPath, PasswordGrant(new string('a', 17 * 1024)));
        await AssertTooLargeAsync(declared);
        // Under the anonymous limit it is an ordinary failed sign-in.
        var small = await client.PostAsync(OpenIdServer.TokenPath, PasswordGrant(new string('a', 15 * 1024)));
        await small.EnsureOAuthErrorAsync("invalid_grant");
        // A signed-in endpoint's larger limit does not help anyone without a session.
        var unsigned = await client.PostAsync("/api/cases", new StringContent(new string(' ', MaxBody + 1), Encoding.UTF8, "application/json"));
        await AssertTooLargeAsync(unsigned);
    }

    [Fact]
    public async Task SignedIn_BodyOverTheLimit_Is413_AndABodyOfExactlyTheLimitIsServed()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var coordinator = await scenario.As("samordnare");
        var body = JsonSerializer.Serialize(await OpenCaseBodyAsync(scenario, MaxFields: false));

        var over = await coordinator.Http.PostAsync("/api/cases", Padded(body, MaxBody + 1, declared: true));
        await AssertTooLargeAsync(over);
        var overStreamed = await coordinator.Http.PostAsync("/api/cases", Padded(body, MaxBody + 1, declared: false));
        await AssertTooLargeAsync(overStreamed);

        var exactly = await coordinator.Http.PostAsync("/api/cases", Padded(body, MaxBody, declared: false));
        await exactly.EnsureStatusAsync(HttpStatusCode.Created);
    }

    [Theory]
    [InlineData("state=Hacker", "state")]
    [InlineData("party=Hacker", "party")]
    [InlineData("due=igår", "due")]
    [InlineData("page=ett", "page")]
    public async Task UnknownQueryValue_Is400NamingTheParameter(string query, string parameter)
    {
        var coordinator = await (await CaseScenario.CreateAsync(factory)).As("samordnare");
        var response = await coordinator.Http.GetAsync($"/api/cases?{query}");
        await Expect.FieldErrorAsync(response, parameter);
        Assert.DoesNotContain(query.Split('=')[1], await response.Content.ReadAsStringAsync());
    }

    public static TheoryData<string, string> InvalidPeople => new()
    {
        { "youth.givenName=" + new string('a', TextLimits.Name + 1), "youth.givenName" },
        { "youth.familyName=Berg\u0000", "youth.familyName" },
        { "youth.address=" + new string('a', TextLimits.Address + 1), "youth.address" },
        { "youth.school=Skola\u001b[31m", "youth.school" },
        { "youth.personnummer=future", "youth.personnummer" },
        { "youth.personnummer=ancient", "youth.personnummer" },
        { "guardians[1].email=inte-en-adress", "guardians[1].email" },
        { "guardians[0].phone=" + new string('1', TextLimits.Phone + 1), "guardians[0].phone" },
        { "guardians[0].familyName=" + new string('a', TextLimits.Name + 1), "guardians[0].familyName" },
        { "guardians=5", "guardians" },
        { "guardians=3custody", "guardians" },
        { "proposedParties=twice", "proposedParties" },
    };

    [Theory]
    [MemberData(nameof(InvalidPeople))]
    public async Task OpenCase_InvalidField_Is400NamingIt_AndCreatesNothing(string change, string field)
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var coordinator = await scenario.As("samordnare");
        var body = await OpenCaseBodyAsync(scenario, MaxFields: false);
        var youth = (Dictionary<string, object?>)body["youth"]!;
        var guardians = (List<Dictionary<string, object?>>)body["guardians"]!;
        var (path, value) = (change[..change.IndexOf('=')], change[(change.IndexOf('=') + 1)..]);
        var today = DateOnly.FromDateTime(factory.Clock.GetUtcNow().UtcDateTime);
        switch (path)
        {
            case "youth.personnummer":
                youth["personnummer"] = TestPersonnummer.For(value == "future" ? today.AddDays(2) : today.AddYears(-121));
                break;
            case var p when p.StartsWith("youth.", StringComparison.Ordinal):
                youth[p["youth.".Length..]] = value;
                break;
            case var p when p.StartsWith("guardians[", StringComparison.Ordinal):
                guardians[p[10] - '0'][p[(p.IndexOf('.') + 1)..]] = value;
                break;
            case "guardians":
                guardians.Clear();
                guardians.AddRange(Enumerable.Range(0, value == "5" ? 5 : 3).Select(i => Guardian($"Förälder{i}", custody: value != "5" || i < 2)));
                break;
            case "proposedParties":
                body["proposedParties"] = new[] { "Skola", "Polis", "Skola" };
                break;
        }
        var before = await CountAsync(coordinator);

        var response = await coordinator.Http.PostAsJsonAsync("/api/cases", body);

        await Expect.FieldErrorAsync(response, field);
        Assert.Equal(before, await CountAsync(coordinator));
    }

    [Fact]
    public async Task Insats_OwnedBySchool_WithAPoliceOfficerResponsible_Is400NamingTheField()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var caseId = await scenario.ActiveCaseAsync(["skola", "polis"], [Party.Skola, Party.Polis],
            [InformationCategory.Basic, InformationCategory.School, InformationCategory.Police]);
        var coordinator = await scenario.As("samordnare");
        var police = await scenario.UserIdAsync("polis");

        await Expect.FieldErrorAsync(await InterventionTests.ProposeResponseAsync(coordinator, caseId, Party.Skola, police), "responsibleUserId");
        await (await InterventionTests.ProposeResponseAsync(coordinator, caseId, Party.Polis, police)).EnsureStatusAsync(HttpStatusCode.Created);
        await (await InterventionTests.ProposeResponseAsync(coordinator, caseId, Party.Skola, await scenario.UserIdAsync("skola"))).EnsureStatusAsync(HttpStatusCode.Created);
    }

    [Fact]
    public async Task AStoredOversizedValue_NeitherBreaksTheListNorTheReadOfOtherCases()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var coordinator = await scenario.As("samordnare");
        var healthy = await scenario.OpenCaseAsync();
        var oversized = await scenario.OpenCaseAsync();
        // As an earlier version without limits stored it: 3 MiB of given name, encrypted by the app's own interceptor.
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<SspfDbContext>();
            var @case = await db.Cases.SingleAsync(c => c.Id == oversized);
            db.Entry(@case).ComplexProperty(c => c.Youth).Property(y => y.GivenName).CurrentValue = new string('x', 3 * 1024 * 1024);
            await db.SaveChangesAsync();
        }
        var stored = await new RawDatabase(factory).ScalarAsync($"SELECT {factory.Sql.Length("YouthGivenName")} FROM \"Cases\" WHERE \"Id\" = {factory.Sql.Literal(oversized)}");
        Assert.True(long.Parse(stored!, System.Globalization.CultureInfo.InvariantCulture) > StoredValueLimit.MaxStoredLength, $"stored length {stored}");

        for (var i = 0; i < 3; i++)
        {
            var list = await coordinator.Http.GetAsync("/api/cases?pageSize=100");
            await list.EnsureStatusAsync(HttpStatusCode.OK);
            var items = (await list.JsonAsync()).GetProperty("items").EnumerateArray().ToList();
            Assert.Contains(items, c => c.GetProperty("id").GetGuid() == healthy);
            Assert.Contains(items, c => c.GetProperty("id").GetGuid() == oversized);
        }
        Assert.Equal("Kim", (await scenario.GetCaseAsync(healthy)).GetProperty("youth").GetProperty("givenName").GetString());
        var read = await scenario.GetCaseAsync(oversized);
        Assert.Equal(StoredValueLimit.Placeholder, read.GetProperty("youth").GetProperty("givenName").GetString());
        Assert.Equal("Testsson", read.GetProperty("youth").GetProperty("familyName").GetString());
    }

    [Fact]
    public async Task TwentyConcurrentRequestsOfTheMaximumSize_AreEachAnswered2xxOr4xx_AndTheListStillWorks()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var coordinator = await scenario.As("samordnare");
        var before = await CountAsync(coordinator);
        // Every text at its limit, padded to exactly the body limit (accepted); the same over the limit (413); and a body
        // of the limit's size whose one field is far over its own limit (400).
        var requests = new List<HttpContent>();
        for (var i = 0; i < 20; i++)
        {
            var body = JsonSerializer.Serialize(await OpenCaseBodyAsync(scenario, MaxFields: true));
            requests.Add((i % 3) switch
            {
                0 => Padded(body, MaxBody, declared: i % 2 == 0),
                1 => Padded(body, MaxBody + 1, declared: i % 2 == 0),
                // Only the youth's given name (the first one in the body) grows, to nearly the body limit.
                _ => new StringContent(body.Insert(body.IndexOf("\"givenName\":\"", StringComparison.Ordinal) + 13, new string('å', MaxBody / 2 - body.Length)),
                    Encoding.UTF8, "application/json"),
            });
        }

        var answers = await Task.WhenAll(requests.Select(content => coordinator.Http.PostAsync("/api/cases", content)));

        foreach (var answer in answers)
            Assert.True((int)answer.StatusCode is >= 200 and < 500, $"{(int)answer.StatusCode}: {await answer.Content.ReadAsStringAsync()}\n"
                + string.Join("\n", factory.Logs.Lines.Where(l => l.StartsWith("Error", StringComparison.Ordinal)).TakeLast(3)));
        var created = answers.Count(a => a.StatusCode == HttpStatusCode.Created);
        Assert.Equal(7, created);
        Assert.Equal(7, answers.Count(a => a.StatusCode == HttpStatusCode.RequestEntityTooLarge));
        Assert.Equal(6, answers.Count(a => a.StatusCode == HttpStatusCode.BadRequest));

        var list = await coordinator.Http.GetAsync("/api/cases?pageSize=100");
        await list.EnsureStatusAsync(HttpStatusCode.OK);
        Assert.Equal(before + created, (await list.JsonAsync()).GetProperty("totalCount").GetInt32());
        foreach (var answer in answers.Where(a => a.StatusCode == HttpStatusCode.Created))
        {
            var id = (await answer.JsonAsync()).GetProperty("id").GetGuid();
            var read = await scenario.GetCaseAsync(id);
            Assert.Equal(new string('Å', TextLimits.Name), read.GetProperty("youth").GetProperty("givenName").GetString());
            Assert.Equal(4, read.GetProperty("guardians").GetArrayLength());
        }
    }

    private async Task<Dictionary<string, object?>> OpenCaseBodyAsync(CaseScenario scenario, bool MaxFields)
    {
        string T(int limit, string normal) => MaxFields ? new string('Å', limit) : normal;
        return new Dictionary<string, object?>
        {
            ["municipalityId"] = await scenario.MunicipalityIdAsync(),
            ["youth"] = new Dictionary<string, object?>
            {
                ["personnummer"] = TestPersonnummer.AgedOn(14, factory.Clock.GetUtcNow()),
                ["givenName"] = T(TextLimits.Name, "Kim"), ["familyName"] = T(TextLimits.Name, "Berg"),
                ["school"] = T(TextLimits.School, "Tångaskolan"), ["address"] = T(TextLimits.Address, "Storgatan 1"),
            },
            ["guardians"] = Enumerable.Range(0, MaxFields ? 4 : 2).Select(i => Guardian($"Förälder{i}", custody: i < 2, MaxFields)).ToList(),
            ["signalCategory"] = "CriminalActivity",
            ["proposedParties"] = new[] { "Skola", "Socialtjanst", "Polis", "Fritid" },
        };
    }

    private static Dictionary<string, object?> Guardian(string name, bool custody, bool maxFields = false) => new()
    {
        ["givenName"] = maxFields ? new string('Å', TextLimits.Name) : name,
        ["familyName"] = maxFields ? new string('Å', TextLimits.Name) : "Berg",
        ["hasCustody"] = custody,
        ["phone"] = maxFields ? "+46 " + new string('7', TextLimits.Phone - 4) : "070-1234567",
        ["email"] = maxFields ? new string('a', TextLimits.Email - 12) + "@example.se" : "forelder@example.se",
        ["address"] = maxFields ? new string('Å', TextLimits.Address) : "Storgatan 1",
    };

    /// <summary>The JSON body followed by spaces up to <paramref name="size"/> bytes; with or without a Content-Length.</summary>
    private static HttpContent Padded(string json, int size, bool declared)
    {
        var bytes = new byte[size];
        Array.Fill(bytes, (byte)' ');
        var length = Encoding.UTF8.GetBytes(json, bytes);
        Assert.True(length <= size);
        HttpContent content = declared ? new ByteArrayContent(bytes) : new StreamContent(new UnknownLengthStream(bytes));
        content.Headers.ContentType = new("application/json");
        return content;
    }

    private static async Task AssertTooLargeAsync(HttpResponseMessage response)
    {
        await response.EnsureStatusAsync(HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.JsonAsync();
        Assert.Equal("RequestBodyTooLarge", problem.GetProperty("code").GetString());
        Assert.Equal("Begäran är för stor", problem.GetProperty("title").GetString());
    }

    private static async Task<int> CountAsync(SspfClient client) =>
        (await (await client.Http.GetAsync("/api/cases")).JsonAsync()).GetProperty("totalCount").GetInt32();

    /// <summary>A stream whose length HttpClient cannot know, so the body goes without Content-Length.</summary>
    private sealed class UnknownLengthStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
