using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SspfSamordning.Api.Tests.Infrastructure;

namespace SspfSamordning.Api.Tests.Platform;

/// <summary>
/// /openapi/v1.json describes the API that runs: every request schema has exactly the members its endpoint binds,
/// each response schema the members of the type it returns, optional members are not required, every signed-in
/// operation names the bearer scheme and its ProblemDetails answers, and the main journey works with bodies checked
/// against the document's schemas alone.
/// </summary>
public sealed class OpenApiTests(SspfApiFactory factory) : IClassFixture<SspfApiFactory>
{
    private async Task<OpenApiModel> DocumentAsync()
    {
        var response = await factory.CreateClient().GetAsync("/openapi/v1.json");
        await response.EnsureStatusAsync(HttpStatusCode.OK);
        return new OpenApiModel(await response.JsonAsync());
    }

    private JsonSerializerOptions AppJson =>
        factory.Services.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;

    private IEnumerable<(RouteEndpoint Endpoint, string Method, string Path)> ApiEndpoints() =>
        EndpointPolicyTests.Endpoints(factory)
            .Where(e => e.RoutePattern.RawText!.StartsWith("/api/", StringComparison.Ordinal))
            .Select(e => (e, e.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods.Single().ToLowerInvariant(), OpenApiPath(e.RoutePattern.RawText!)));

    /// <summary>The document's path of a route: constraints dropped (<c>{id:guid}</c> → <c>{id}</c>).</summary>
    private static string OpenApiPath(string route) =>
        System.Text.RegularExpressions.Regex.Replace(route.TrimEnd('/'), @"\{([^}:]+)(:[^}]+)?\}", "{$1}");

    private IReadOnlySet<string> JsonMembers(Type type) =>
        AppJson.GetTypeInfo(type).Properties.Select(p => p.Name).ToHashSet();

    [Fact]
    public async Task EveryOperation_DocumentsExactlyTheMembersItsEndpointBinds()
    {
        var document = await DocumentAsync();
        var problems = new List<string>();
        var schemaOfRequestType = new Dictionary<string, Type>();
        var bodies = 0;
        foreach (var (endpoint, method, path) in ApiEndpoints())
        {
            var operation = document.Operation(method, path);
            var requestType = endpoint.Metadata.GetMetadata<IAcceptsMetadata>()?.RequestType;
            var body = operation.TryGetProperty("requestBody", out var requestBody) ? requestBody.GetProperty("content").GetProperty("application/json").GetProperty("schema") : (JsonElement?)null;
            if (requestType is null != body is null)
            {
                problems.Add($"{method} {path}: binds {requestType?.Name ?? "no body"}, documents {(body is null ? "none" : "a body")}");
                continue;
            }
            if (requestType is null) continue;
            bodies++;
            var name = document.ReferenceName(body!.Value) ?? "(inline)";
            if (schemaOfRequestType.TryGetValue(name, out var other) && other != requestType)
                problems.Add($"{method} {path}: schema {name} is shared by {other.FullName} and {requestType.FullName}");
            schemaOfRequestType[name] = requestType;
            var documented = document.Properties(body.Value);
            if (!documented.SetEquals(JsonMembers(requestType)))
                problems.Add($"{method} {path}: documents [{string.Join(",", documented.Order())}], binds [{string.Join(",", JsonMembers(requestType).Order())}]");
        }
        Assert.True(bodies >= 25, $"only {bodies} request bodies found");
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public async Task EveryOperation_DocumentsTheBodyItAnswers_NotAnotherOperationsBody()
    {
        var document = await DocumentAsync();
        var problems = new List<string>();
        foreach (var (endpoint, method, path) in ApiEndpoints())
        {
            var produced = endpoint.Metadata.GetOrderedMetadata<IProducesResponseTypeMetadata>()
                .Where(p => p.StatusCode is 200 or 201 && p.Type is { } t && t != typeof(void) && t != typeof(string)).ToList();
            foreach (var group in produced.GroupBy(p => p.StatusCode))
            {
                var schema = document.Operation(method, path).GetProperty("responses").GetProperty(group.Key.ToString(CultureInfo.InvariantCulture))
                    .GetProperty("content").GetProperty("application/json").GetProperty("schema");
                var alternatives = schema.TryGetProperty("oneOf", out var oneOf) ? oneOf.EnumerateArray().ToList() : [schema];
                var documented = alternatives.Select(document.Properties).ToList();
                foreach (var type in group.Select(p => p.Type!).Distinct())
                    if (!documented.Any(d => d.SetEquals(JsonMembers(type))))
                        problems.Add($"{method} {path} {group.Key}: answers {type.Name} [{string.Join(",", JsonMembers(type).Order())}], documented [{string.Join(" | ", documented.Select(d => string.Join(",", d.Order())))}]");
            }
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));

        // The probe's example: GET /api/me is the caller, not a token.
        var me = document.Properties(document.Operation("get", "/api/me").GetProperty("responses").GetProperty("200").GetProperty("content").GetProperty("application/json").GetProperty("schema"));
        Assert.Contains("municipalities", me);
        Assert.DoesNotContain("accessToken", me);
    }

    [Fact]
    public async Task OptionalMembers_AreNotRequired_AndEnumsAreStrings()
    {
        var document = await DocumentAsync();
        var problems = new List<string>();
        foreach (var (name, schema) in document.Schemas)
        {
            if (!schema.TryGetProperty("required", out var required)) continue;
            var properties = schema.GetProperty("properties");
            foreach (var member in required.EnumerateArray().Select(r => r.GetString()!))
                if (OpenApiModel.AllowsNull(properties.GetProperty(member)) || properties.GetProperty(member).TryGetProperty("default", out _))
                    problems.Add($"{name}.{member} is nullable or defaulted but required");
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));

        // A transition's optional members (a close comment, a reopen reason) are not required.
        var transition = document.Schema("CaseTransitionsRequest");
        Assert.True(transition.GetProperty("properties").TryGetProperty("closeComment", out _));
        Assert.False(transition.TryGetProperty("required", out var transitionRequired)
            && transitionRequired.EnumerateArray().Any(r => r.GetString() is "closeComment" or "reason"));
        var caseDetail = document.Schema("CaseDetail");
        var caseRequired = caseDetail.GetProperty("required").EnumerateArray().Select(r => r.GetString()).ToList();
        Assert.Contains("caseNumber", caseRequired);
        Assert.DoesNotContain("guardians", caseRequired); // absent when the caller may not see the basic category

        var reporterStatus = document.Schema("ReporterStatus");
        Assert.Equal("string", reporterStatus.GetProperty("type").GetString());
        Assert.Equal(["Received", "InvestigationOpened", "NoInvestigation"], reporterStatus.GetProperty("enum").EnumerateArray().Select(e => e.GetString()));
        // The reporter's receipt (which carries ReporterStatus) is one of the two bodies a filed report answers.
        var filed = document.Operation("post", "/api/concern-reports").GetProperty("responses").GetProperty("201").GetProperty("content").GetProperty("application/json").GetProperty("schema");
        Assert.Contains("ConcernReportReceipt", filed.GetProperty("oneOf").EnumerateArray().Select(document.ReferenceName));
    }

    [Fact]
    public async Task SignedInOperations_NameTheBearerScheme_ProblemDetails_AndTheirArea()
    {
        var document = await DocumentAsync();
        var scheme = document.Root.GetProperty("components").GetProperty("securitySchemes").GetProperty("Bearer");
        Assert.Equal("http", scheme.GetProperty("type").GetString());
        Assert.Equal("bearer", scheme.GetProperty("scheme").GetString());
        var problems = new List<string>();
        foreach (var (endpoint, method, path) in ApiEndpoints())
        {
            var operation = document.Operation(method, path);
            var anonymous = endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null;
            var secured = operation.TryGetProperty("security", out var security) && security.EnumerateArray().Any(r => r.TryGetProperty("Bearer", out _));
            if (secured == anonymous) problems.Add($"{method} {path}: anonymous={anonymous}, bearer documented={secured}");
            var responses = operation.GetProperty("responses");
            foreach (var status in anonymous ? ["401"] : new[] { "401", "403" })
                if (!responses.TryGetProperty(status, out var problem) || !problem.GetProperty("content").TryGetProperty("application/problem+json", out _))
                    problems.Add($"{method} {path}: no ProblemDetails for {status}");
            if (path.Contains('{', StringComparison.Ordinal) && !responses.TryGetProperty("404", out _)) problems.Add($"{method} {path}: no 404");
            var area = endpoint.Metadata.GetMetadata<System.Reflection.MethodInfo>()!.DeclaringType!.Namespace!.Split('.')[3];
            var tags = operation.GetProperty("tags").EnumerateArray().Select(t => t.GetString()).ToList();
            if (tags.Count != 1 || tags[0] != area) problems.Add($"{method} {path}: tags [{string.Join(",", tags)}], area {area}");
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public async Task TheStatisticsOperation_DocumentsItsConcurrencyCap_As429ProblemDetails()
    {
        var responses = (await DocumentAsync()).Operation("get", "/api/statistics").GetProperty("responses");
        Assert.True(responses.TryGetProperty("429", out var capped), "GET /api/statistics documents no 429");
        Assert.True(capped.GetProperty("content").TryGetProperty("application/problem+json", out _));
    }

    [Fact]
    public async Task ApiReference_IsServedInDevelopment_FromTheAppItself()
    {
        var client = factory.CreateClient();
        var page = await client.GetAsync("/scalar/");
        await page.EnsureStatusAsync(HttpStatusCode.OK);
        var html = await page.Content.ReadAsStringAsync();
        var scripts = System.Text.RegularExpressions.Regex.Matches(html, "src=\"([^\"]+)\"").Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(scripts);
        Assert.All(scripts, s => Assert.DoesNotContain("//", s, StringComparison.Ordinal)); // no CDN: relative to /scalar/
        Assert.Contains("\"withDefaultFonts\":false", html, StringComparison.Ordinal);
        foreach (var script in scripts)
        {
            var asset = await client.GetAsync("/scalar/" + script);
            await asset.EnsureStatusAsync(HttpStatusCode.OK);
            Assert.True((await asset.Content.ReadAsByteArrayAsync()).Length > 1000, script);
        }
    }

    [Fact]
    public async Task MainJourney_Succeeds_WithBodiesCheckedAgainstTheDocumentAlone()
    {
        var document = await DocumentAsync();
        var scenario = await CaseScenario.CreateAsync(factory);
        var coordinator = await scenario.As("samordnare");
        var skola = await scenario.UserIdAsync("skola");

        async Task<JsonElement> Send(HttpMethod method, string template, object body, HttpStatusCode expected, params object[] ids)
        {
            var json = document.Body(method.Method.ToLowerInvariant(), template, JsonSerializer.SerializeToElement(body, JsonSerializerOptions.Web));
            var path = ids.Aggregate(template, (p, id) => new System.Text.RegularExpressions.Regex(@"\{[^}]+\}").Replace(p, id.ToString()!, 1));
            var response = await coordinator.Http.SendAsync(new HttpRequestMessage(method, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") });
            await response.EnsureStatusAsync(expected);
            return await response.JsonAsync();
        }

        var opened = await Send(HttpMethod.Post, "/api/cases", new
        {
            municipalityId = await scenario.MunicipalityIdAsync(),
            youth = new { personnummer = TestPersonnummer.AgedOn(14, factory.Clock.GetUtcNow()), givenName = "Kim", familyName = "Dokumentsson" },
            guardians = new[] { new { givenName = "Anna", familyName = "Dokumentsson", hasCustody = true } },
            signalCategory = document.EnumValue("SignalCategory", "CriminalActivity"),
            proposedParties = new[] { document.EnumValue("Party", "Skola") },
        }, HttpStatusCode.Created);
        var caseId = opened.GetProperty("id").GetGuid();
        var guardianId = opened.GetProperty("guardians")[0].GetProperty("id").GetGuid();
        await Send(HttpMethod.Post, "/api/cases/{id}/members", new { userId = skola }, HttpStatusCode.Created, caseId);

        var consent = await Send(HttpMethod.Post, "/api/cases/{id}/consents",
            new { parties = new[] { "Skola" }, categories = new[] { "Basic", "School" } }, HttpStatusCode.Created, caseId);
        var consentId = consent.GetProperty("id").GetGuid();
        var answered = await Send(HttpMethod.Post, "/api/cases/{id}/consents/{consentId}/answers", new
        {
            signatory = document.EnumValue("SignatoryKind", "Guardian"), guardianId, given = true,
            form = document.EnumValue("ConsentForm", "Written"), documentRef = "Blankett 1", obtainedBy = "Socialtjanst",
        }, HttpStatusCode.OK, caseId, consentId);
        Assert.Equal("Valid", answered.GetProperty("state").GetString());

        var meeting = await Send(HttpMethod.Post, "/api/cases/{id}/meetings", new
        {
            kind = document.EnumValue("MeetingKind", "Network"), startsAt = factory.Clock.GetUtcNow().AddMinutes(5), location = "Stadshuset",
            inviteeUserIds = new[] { skola },
        }, HttpStatusCode.Created, caseId);
        var meetingId = meeting.GetProperty("id").GetGuid();
        factory.Clock.Advance(TimeSpan.FromMinutes(6));
        await Send(HttpMethod.Post, "/api/cases/{id}/meetings/{meetingId}/transitions", new
        {
            trigger = "Hold", attendeeUserIds = new[] { skola }, youthAttended = true, attendingGuardianIds = new[] { guardianId }, draftMinutes = "Vi sågs.",
        }, HttpStatusCode.OK, caseId, meetingId);
        await Send(HttpMethod.Put, "/api/cases/{id}/action-plan", new { meetingId, goals = "Skolnärvaro." }, HttpStatusCode.OK, caseId);

        var intervention = await Send(HttpMethod.Post, "/api/cases/{id}/interventions", new
        {
            type = document.EnumValue("InterventionType", "Mentor"), ownerParty = "Skola", responsibleUserId = skola, goal = "Närvaro varje dag.",
        }, HttpStatusCode.Created, caseId);
        var interventionId = intervention.GetProperty("id").GetGuid();
        await Send(HttpMethod.Post, "/api/cases/{id}/interventions/{interventionId}/transitions", new { trigger = document.EnumValue("InterventionTrigger", "Plan") },
            HttpStatusCode.OK, caseId, interventionId);

        var followUps = await coordinator.Http.GetAsync($"/api/cases/{caseId}/follow-ups");
        await followUps.EnsureStatusAsync(HttpStatusCode.OK);
        var followUpId = (await followUps.JsonAsync()).GetProperty("items")[0].GetProperty("id").GetGuid();
        var done = await Send(HttpMethod.Post, "/api/cases/{id}/follow-ups/{followUpId}/transitions", new
        {
            trigger = document.EnumValue("FollowUpTrigger", "Complete"),
            assessments = new Dictionary<string, string> { [interventionId.ToString()] = "Går bra." },
            overallAssessment = "Stabilt.",
        }, HttpStatusCode.OK, caseId, followUpId);
        Assert.Equal("Done", done.GetProperty("state").GetString());
    }

    [Fact]
    public async Task BodyCheck_RefusesAMemberTheDocumentDoesNotHave()
    {
        // The journey's check can fail: a member of another operation's body, or a wrong enum value, is refused.
        var document = await DocumentAsync();
        Assert.ThrowsAny<Exception>(() => document.Body("post", "/api/cases/{id}/members", JsonSerializer.SerializeToElement(new { email = "x@example.se" })));
        Assert.ThrowsAny<Exception>(() => document.Body("post", "/api/cases/{id}/meetings", JsonSerializer.SerializeToElement(new { kind = "Lunch" })));
        Assert.ThrowsAny<Exception>(() => document.EnumValue("MeetingKind", "Lunch"));
    }
}

/// <summary>Reads an OpenAPI document: operations, schemas (references resolved), and bodies checked against them.</summary>
internal sealed class OpenApiModel(JsonElement root)
{
    public JsonElement Root { get; } = root;

    public IEnumerable<(string Name, JsonElement Schema)> Schemas =>
        Root.GetProperty("components").GetProperty("schemas").EnumerateObject().Select(p => (p.Name, p.Value));

    public JsonElement Schema(string name) => Root.GetProperty("components").GetProperty("schemas").GetProperty(name);

    public JsonElement Operation(string method, string path)
    {
        Assert.True(Root.GetProperty("paths").TryGetProperty(path, out var item), $"{path} is not in the document");
        Assert.True(item.TryGetProperty(method, out var operation), $"{method} {path} is not in the document");
        return operation;
    }

    public string? ReferenceName(JsonElement schema) =>
        schema.TryGetProperty("$ref", out var reference) ? reference.GetString()!["#/components/schemas/".Length..] : null;

    public JsonElement Resolve(JsonElement schema) => ReferenceName(schema) is { } name ? Schema(name) : schema;

    public IReadOnlySet<string> Properties(JsonElement schema) =>
        Resolve(schema).TryGetProperty("properties", out var properties) ? properties.EnumerateObject().Select(p => p.Name).ToHashSet() : new HashSet<string>();

    public static bool AllowsNull(JsonElement schema) =>
        (schema.TryGetProperty("type", out var type) && (type.ValueKind == JsonValueKind.Array ? type.EnumerateArray().Any(t => t.GetString() == "null") : type.GetString() == "null"))
        || (schema.TryGetProperty("oneOf", out var oneOf) && oneOf.EnumerateArray().Any(AllowsNull));

    /// <summary>A value of a documented enum; fails if the document does not list it.</summary>
    public string EnumValue(string schemaName, string value)
    {
        var values = Schema(schemaName).GetProperty("enum").EnumerateArray().Select(e => e.GetString()).ToList();
        return values.Contains(value) ? value : throw new InvalidOperationException($"{schemaName} documents [{string.Join(",", values)}], not {value}");
    }

    /// <summary>The JSON of a request body after checking it against the operation's documented schema.</summary>
    public string Body(string method, string path, JsonElement body)
    {
        var schema = Operation(method, path).GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("schema");
        Check(schema, body, $"{method} {path} $");
        return body.GetRawText();
    }

    private void Check(JsonElement schema, JsonElement value, string at)
    {
        schema = Resolve(schema);
        if (schema.TryGetProperty("oneOf", out var oneOf))
        {
            var failures = new List<string>();
            foreach (var alternative in oneOf.EnumerateArray())
            {
                try { Check(alternative, value, at); return; }
                catch (InvalidOperationException e) { failures.Add(e.Message); }
            }
            throw new InvalidOperationException(string.Join(" / ", failures));
        }
        var types = !schema.TryGetProperty("type", out var type) ? [] :
            type.ValueKind == JsonValueKind.Array ? type.EnumerateArray().Select(t => t.GetString()!).ToList() : [type.GetString()!];
        var kind = value.ValueKind switch
        {
            JsonValueKind.Null => "null", JsonValueKind.String => "string", JsonValueKind.True or JsonValueKind.False => "boolean",
            JsonValueKind.Number => value.TryGetInt64(out _) ? "integer" : "number", JsonValueKind.Array => "array", _ => "object",
        };
        if (types.Count > 0 && !types.Contains(kind) && !(kind == "integer" && types.Contains("number")))
            throw new InvalidOperationException($"{at}: {kind} where the document says [{string.Join(",", types)}]");
        if (schema.TryGetProperty("enum", out var values) && !values.EnumerateArray().Any(v => v.ToString() == value.ToString()))
            throw new InvalidOperationException($"{at}: {value} is not one of the documented values");
        if (kind == "string" && schema.TryGetProperty("format", out var format))
        {
            var text = value.GetString()!;
            var ok = format.GetString() switch
            {
                "uuid" => Guid.TryParse(text, out _),
                "date-time" => DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, out _),
                "date" => DateOnly.TryParseExact(text, "yyyy-MM-dd", out _),
                _ => true,
            };
            if (!ok) throw new InvalidOperationException($"{at}: '{text}' is not a {format.GetString()}");
        }
        if (kind == "array" && schema.TryGetProperty("items", out var items))
            foreach (var (item, index) in value.EnumerateArray().Select((v, i) => (v, i))) Check(items, item, $"{at}[{index}]");
        if (kind != "object") return;
        var properties = schema.TryGetProperty("properties", out var p) ? p : default;
        var dictionary = schema.TryGetProperty("additionalProperties", out var additional) && additional.ValueKind == JsonValueKind.Object ? additional : (JsonElement?)null;
        foreach (var member in value.EnumerateObject())
        {
            if (properties.ValueKind == JsonValueKind.Object && properties.TryGetProperty(member.Name, out var memberSchema)) Check(memberSchema, member.Value, $"{at}.{member.Name}");
            else if (dictionary is { } valueSchema) Check(valueSchema, member.Value, $"{at}.{member.Name}");
            else throw new InvalidOperationException($"{at}: the document has no member '{member.Name}'");
        }
        if (schema.TryGetProperty("required", out var required))
            foreach (var name in required.EnumerateArray().Select(r => r.GetString()!))
                if (!value.TryGetProperty(name, out _)) throw new InvalidOperationException($"{at}: required member '{name}' missing");
    }
}
