using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using SspfSamordning.Api.Tests.Admin;
using SspfSamordning.Api.Tests.Audit;
using SspfSamordning.Api.Tests.Infrastructure;

namespace SspfSamordning.Api.Tests.Web;

/// <summary>
/// Journey 6 (Administratör) over HTTP with the web cookie: the pages call the API's administration use cases, so the
/// same rules hold — four eyes on every added role, nobody changes their own account, another municipality's account or
/// request (or a made-up id in a hidden field) answers the 404 page as the API answers 404, and only the Administratör
/// reaches the pages.
/// </summary>
public sealed class AdministrationPageTests(SspfApiFactory factory) : IClassFixture<SspfApiFactory>
{
    private Task<WebClient> SignedInAsync(string email) => WebClient.SignedInAsync(factory, email);

    private async Task<SspfClient> ApiAsync(string email)
    {
        var client = factory.CreateSspfClient();
        await client.SignInAsync(email);
        return client;
    }

    private static async Task<JsonElement> AccountAsync(SspfClient admin, Guid id)
    {
        var response = await admin.Http.GetAsync($"/api/admin/users/{id}");
        await response.EnsureStatusAsync(HttpStatusCode.OK);
        return await response.JsonAsync();
    }

    private static string[] RolesOf(JsonElement account) => [.. account.GetProperty("roles").EnumerateArray().Select(r => r.GetString()!)];

    private static async Task<Guid?> PendingGrantAsync(SspfClient admin, Guid userId) =>
        (await (await admin.Http.GetAsync("/api/admin/role-grants?pageSize=100")).JsonAsync()).GetProperty("items").EnumerateArray()
            .Where(g => g.GetProperty("userId").GetGuid() == userId).Select(g => (Guid?)g.GetProperty("id").GetGuid()).FirstOrDefault();

    /// <summary>An account created by the Falkenberg administrator through the API, its roles still waiting: (account, grant).</summary>
    private async Task<(Guid UserId, Guid GrantId)> RequestedAccountAsync(SspfClient admin, string role = "Fritid")
    {
        var unitId = (await (await admin.Http.GetAsync("/api/me")).JsonAsync()).GetProperty("unit").GetProperty("id").GetGuid();
        var created = await admin.Http.PostAsJsonAsync("/api/admin/users", new
        {
            email = $"konto-{Guid.NewGuid():N}@falkenberg.example", displayName = "Vera Väntsson", unitId, roles = new[] { role },
            initialPassword = "Start-losenord-2026",
        });
        await created.EnsureStatusAsync(HttpStatusCode.Created);
        var body = await created.JsonAsync();
        return (body.GetProperty("id").GetGuid(), AdminSteps.GrantId(body));
    }

    [Fact]
    public async Task CreateAccount_KeepsWhatWasTyped_ThenCreates_AndOnlyASecondAdministratorApprovesTheRoles()
    {
        var admin = await SignedInAsync(SspfClient.Demo("admin"));
        var (_, form) = await admin.GetAsync("/administration/nytt-konto");
        var unitId = Regex.Match(form, "<option value=\"([0-9a-f-]{36})\"").Groups[1].Value;
        Assert.NotEmpty(unitId);

        var (bad, badHtml) = await admin.PostFromAsync("/administration/nytt-konto", form, ("DisplayName", "Kim Testsson"),
            ("Email", "inte-en-adress"), ("UnitId", unitId), ("Roles", "Administratör"), ("Roles", "Samordnare"), ("InitialPassword", ""));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("Ange en giltig e-postadress.", badHtml);
        Assert.Contains("kan inte kombineras", badHtml);
        Assert.Contains("Ange ett startlösenord.", badHtml);
        Assert.Contains("href=\"#Email\"", badHtml);
        Assert.Contains("value=\"Kim Testsson\"", badHtml);
        Assert.Contains("value=\"inte-en-adress\"", badHtml);
        Assert.Matches("value=\"Samordnare\"\\s+checked=\"checked\"", badHtml);
        Assert.Matches($"<option value=\"{unitId}\" selected=\"selected\">", badHtml);

        var email = $"kim-{Guid.NewGuid():N}@falkenberg.example";
        var (created, _) = await admin.PostFromAsync("/administration/nytt-konto", form, ("DisplayName", "Kim Testsson"),
            ("Email", email), ("UnitId", unitId), ("Roles", "Socialsekreterare"), ("InitialPassword", "Start-losenord-2026"));
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var location = created.Headers.Location!.OriginalString;
        var userId = Guid.Parse(Regex.Match(location, "^/administration/konton/([0-9a-f-]{36})\\?meddelande=skapat$").Groups[1].Value);
        var (_, accountHtml) = await admin.GetAsync(location);
        Assert.Contains("Rollerna väntar på att en annan administratör godkänner dem.", accountHtml);
        Assert.Contains(email, accountHtml);

        // The requester sees the request, may withdraw it, may not approve it — not even by posting the approval by hand.
        var adminApi = await ApiAsync(SspfClient.Demo("admin"));
        var grantId = (await PendingGrantAsync(adminApi, userId))!.Value;
        var (_, overview) = await admin.GetAsync("/administration");
        Assert.Contains("Dra tillbaka", overview);
        Assert.DoesNotContain("Godkänn rollerna för Kim Testsson", overview);
        var (own, ownHtml) = await admin.PostFromAsync("/administration?handler=Approve", overview, ("GrantId", grantId.ToString()));
        Assert.Equal(HttpStatusCode.Conflict, own.StatusCode);
        Assert.Contains("En rolländring som ger nya roller ska godkännas av en annan administratör", ownHtml);
        Assert.Empty(RolesOf(await AccountAsync(adminApi, userId)));

        var second = await SignedInAsync(SspfClient.Demo(AdminSteps.SecondAdmin));
        var (_, secondOverview) = await second.GetAsync("/administration");
        Assert.Contains("Godkänn rollerna för Kim Testsson", secondOverview);
        var (approved, _) = await second.PostFromAsync("/administration?handler=Approve", secondOverview, ("GrantId", grantId.ToString()));
        approved.RedirectsTo("/administration?meddelande=godkant");
        Assert.Equal(["Socialsekreterare"], RolesOf(await AccountAsync(adminApi, userId)));
        Assert.Null(await PendingGrantAsync(adminApi, userId));
    }

    [Fact]
    public async Task Administrator_CannotGrantThemselvesARole_NorDisableOrResetThemselves_ThroughThePages()
    {
        var adminApi = await ApiAsync(SspfClient.Demo("admin"));
        var ownId = (await (await adminApi.Http.GetAsync("/api/me")).JsonAsync()).GetProperty("id").GetGuid();
        var admin = await SignedInAsync(SspfClient.Demo("admin"));
        var url = $"/administration/konton/{ownId}";
        var (shown, page) = await admin.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, shown.StatusCode);
        Assert.Contains("Det här är ditt eget konto.", page);

        var (roles, rolesHtml) = await admin.PostFromAsync(url + "?handler=Roles", page, ("Roles", "Administratör"), ("Roles", "Samordnare"));
        Assert.Equal(HttpStatusCode.BadRequest, roles.StatusCode);
        Assert.Contains("kan inte kombineras", rolesHtml);
        var (self, selfHtml) = await admin.PostFromAsync(url + "?handler=Roles", page, ("Roles", "Samordnare"));
        Assert.Equal(HttpStatusCode.Conflict, self.StatusCode);
        Assert.Contains("Be en annan administratör.", selfHtml);
        Assert.Matches("value=\"Samordnare\"\\s+checked=\"checked\"", selfHtml); // what was ticked stays ticked
        var (disable, _) = await admin.PostFromAsync(url + "?handler=Disable", page);
        Assert.Equal(HttpStatusCode.Conflict, disable.StatusCode);
        var (reset, _) = await admin.PostFromAsync(url + "?handler=ResetTwoFactor", page);
        Assert.Equal(HttpStatusCode.Conflict, reset.StatusCode);

        // Nothing changed: still only an administrator, no request waiting, the session still open.
        Assert.Equal(["Administratör"], RolesOf(await AccountAsync(adminApi, ownId)));
        Assert.False((await AccountAsync(adminApi, ownId)).GetProperty("disabled").GetBoolean());
        Assert.Null(await PendingGrantAsync(adminApi, ownId));
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/administration")).Response.StatusCode);
    }

    [Fact]
    public async Task AnotherMunicipalitysAccountOrRequest_OrAMadeUpId_AnswersThe404Page_AsTheApiDoes()
    {
        var falkenberg = await ApiAsync(SspfClient.Demo("admin"));
        var (userId, grantId) = await RequestedAccountAsync(falkenberg);
        var falkopingApi = await AdminTestData.FalkopingAdminAsync(factory);
        var falkoping = await SignedInAsync(SspfClient.Demo("admin", "falkoping"));
        var (_, overview) = await falkoping.GetAsync("/administration");
        Assert.DoesNotContain(userId.ToString(), overview);

        var (never, neverHtml) = await falkoping.GetAsync($"/administration/konton/{Guid.NewGuid()}");
        Assert.Equal(HttpStatusCode.NotFound, never.StatusCode);
        var (foreign, foreignHtml) = await falkoping.GetAsync($"/administration/konton/{userId}");
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        Assert.Equal(neverHtml, foreignHtml);
        foreach (var handler in new[] { "Disable", "ResetTwoFactor", "Roles" })
        {
            var (response, _) = await falkoping.PostFromAsync($"/administration/konton/{userId}?handler={handler}", overview, ("Roles", "Fritid"));
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }
        // The grant id is a hidden field: another municipality's, a made-up one and no id at all are all the 404 page.
        foreach (var tampered in new[] { grantId.ToString(), Guid.NewGuid().ToString(), "inte-ett-id" })
            foreach (var handler in new[] { "Approve", "Reject" })
            {
                var (response, html) = await falkoping.PostFromAsync($"/administration?handler={handler}", overview, ("GrantId", tampered));
                Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
                Assert.Contains("Sidan finns inte eller så saknar du behörighet", html);
            }

        // The API answers the same.
        Assert.Equal(HttpStatusCode.NotFound, (await falkopingApi.Http.GetAsync($"/api/admin/users/{userId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await falkopingApi.Http.PostAsync($"/api/admin/role-grants/{grantId}/approve", null)).StatusCode);
        var listed = await (await falkopingApi.Http.GetAsync("/api/admin/users?pageSize=100")).JsonAsync();
        Assert.DoesNotContain(listed.GetProperty("items").EnumerateArray(), u => u.GetProperty("id").GetGuid() == userId);
        // And nothing changed.
        var account = await AccountAsync(falkenberg, userId);
        Assert.False(account.GetProperty("disabled").GetBoolean());
        Assert.Empty(RolesOf(account));
        Assert.Equal(grantId, await PendingGrantAsync(falkenberg, userId));
    }

    [Fact]
    public async Task Disable_EndsThePersonsWebSession_OnTheNextPageLoad()
    {
        var adminApi = await ApiAsync(SspfClient.Demo("admin"));
        var unitId = (await (await adminApi.Http.GetAsync("/api/me")).JsonAsync()).GetProperty("unit").GetProperty("id").GetGuid();
        var email = $"avstangs-{Guid.NewGuid():N}@falkenberg.example";
        var created = await adminApi.Http.PostAsJsonAsync("/api/admin/users", new
        {
            email, displayName = "Avi Avstängdsson", unitId, roles = new[] { "Fritid" }, initialPassword = "Start-losenord-2026",
        });
        var body = await AdminSteps.ApproveAsync(await ApiAsync(SspfClient.Demo(AdminSteps.SecondAdmin)), created);
        var userId = body.GetProperty("id").GetGuid();
        var person = new WebClient(factory);
        (await person.SubmitPasswordAsync(email, "Start-losenord-2026")).Response.RedirectsTo("/byt-losenord");
        Assert.Equal(HttpStatusCode.OK, (await person.GetAsync("/byt-losenord")).Response.StatusCode);

        var admin = await SignedInAsync(SspfClient.Demo("admin"));
        var (_, page) = await admin.GetAsync($"/administration/konton/{userId}");
        var trail = new AuditTrail(factory);
        await trail.MarkAsync();
        var (disabled, _) = await admin.PostFromAsync($"/administration/konton/{userId}?handler=Disable", page);
        disabled.RedirectsTo($"/administration/konton/{userId}?meddelande=avstangt");
        Assert.Equal(["AccountChanged/Allowed"], (await trail.NewAsync()).Events.Select(e => e.ToString()));
        Assert.Contains("Avstängt", (await admin.GetAsync($"/administration/konton/{userId}?meddelande=avstangt")).Html);
        (await person.GetAsync("/byt-losenord")).Response.RedirectsToSignIn();
    }

    [Fact]
    public async Task FederationIds_AreShownAndSetThroughTheSameUseCase_ADuplicateHsaIdIsRefused_AndAnotherMunicipalitysAccountIs404()
    {
        var adminApi = await ApiAsync(SspfClient.Demo("admin"));
        var (first, _) = await RequestedAccountAsync(adminApi);
        var (second, _) = await RequestedAccountAsync(adminApi);
        var hsaId = $"SE2321000131-P{Guid.NewGuid():N}"[..40];
        var admin = await SignedInAsync(SspfClient.Demo("admin"));
        var url = $"/administration/konton/{first}";
        var (_, page) = await admin.GetAsync(url);
        Assert.Contains("Spara identiteter", page);

        var trail = new AuditTrail(factory);
        await trail.MarkAsync();
        var (set, _) = await admin.PostFromAsync(url + "?handler=FederationIds", page, ("HsaId", $" {hsaId} "), ("EmployeeNumber", "A-4711"));
        set.RedirectsTo(url + "?meddelande=federation-andrad");
        Assert.Equal(["AccountChanged/Allowed"], (await trail.NewAsync()).Events.Select(e => e.ToString()));
        var account = await AccountAsync(adminApi, first);
        Assert.Equal(hsaId, account.GetProperty("hsaId").GetString()); // trimmed, as the API trims
        Assert.Equal("A-4711", account.GetProperty("employeeNumber").GetString());
        var (_, shown) = await admin.GetAsync(url + "?meddelande=federation-andrad");
        Assert.Contains("Identiteterna för inloggning via kommunens identitetsleverantör är sparade.", shown);
        Assert.Contains($"value=\"{hsaId}\"", shown);

        // The same HSA-id on another account: the API's 409 and its Swedish message by the field, what was typed kept, nothing saved.
        var secondUrl = $"/administration/konton/{second}";
        var (_, secondPage) = await admin.GetAsync(secondUrl);
        await trail.MarkAsync();
        var (duplicate, duplicateHtml) = await admin.PostFromAsync(secondUrl + "?handler=FederationIds", secondPage, ("HsaId", hsaId), ("EmployeeNumber", "B-1"));
        Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);
        Assert.Contains("Ett annat konto har samma HSA-id.", duplicateHtml);
        Assert.Contains("id=\"HsaId-error\"", duplicateHtml);
        Assert.Contains("href=\"#HsaId\"", duplicateHtml);
        Assert.Contains("value=\"B-1\"", duplicateHtml);
        var api = await adminApi.Http.PatchAsJsonAsync($"/api/admin/users/{second}", new { hsaId });
        Assert.Equal(HttpStatusCode.Conflict, api.StatusCode);
        Assert.Equal("Ett annat konto har samma HSA-id.", (await api.JsonAsync()).GetProperty("detail").GetString());
        Assert.Equal(JsonValueKind.Null, (await AccountAsync(adminApi, second)).GetProperty("hsaId").ValueKind);
        Assert.Equal(JsonValueKind.Null, (await AccountAsync(adminApi, second)).GetProperty("employeeNumber").ValueKind);
        Assert.DoesNotContain((await trail.NewAsync()).Events, e => e.ToString() == "AccountChanged/Allowed");

        // Too long: the API's 400 and message by the field, what was typed kept.
        var tooLong = new string('7', 65);
        var (invalid, invalidHtml) = await admin.PostFromAsync(secondUrl + "?handler=FederationIds", secondPage, ("HsaId", ""), ("EmployeeNumber", tooLong));
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Contains("id=\"EmployeeNumber-error\"", invalidHtml);
        Assert.Contains($"value=\"{tooLong}\"", invalidHtml);

        // Another municipality's administrator: the account in the address is the 404 page, and a form field naming it on
        // their own account's address changes nothing of it — the address names the account (route values bind before form
        // fields), so the change is their own account's.
        var falkopingApi = await AdminTestData.FalkopingAdminAsync(factory);
        var falkoping = await SignedInAsync(SspfClient.Demo("admin", "falkoping"));
        var ownId = (await (await falkopingApi.Http.GetAsync("/api/me")).JsonAsync()).GetProperty("id").GetGuid();
        var (_, ownPage) = await falkoping.GetAsync($"/administration/konton/{ownId}");
        var (foreign, _) = await falkoping.PostFromAsync(url + "?handler=FederationIds", ownPage, ("HsaId", ""), ("EmployeeNumber", "X-1"));
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        var (tampered, _) = await falkoping.PostFromAsync($"/administration/konton/{ownId}?handler=FederationIds", ownPage,
            ("Id", first.ToString()), ("HsaId", ""), ("EmployeeNumber", "X-2"));
        Assert.Equal(HttpStatusCode.Redirect, tampered.StatusCode);
        Assert.StartsWith($"/administration/konton/{ownId}?", tampered.Headers.Location!.OriginalString);
        Assert.Equal("X-2", (await AccountAsync(falkopingApi, ownId)).GetProperty("employeeNumber").GetString());
        account = await AccountAsync(adminApi, first);
        Assert.Equal(hsaId, account.GetProperty("hsaId").GetString());
        Assert.Equal("A-4711", account.GetProperty("employeeNumber").GetString());
    }

    [Fact]
    public async Task AdministrationPages_RefuseEveryoneButTheAdministrator()
    {
        var someone = (await (await (await ApiAsync(SspfClient.Demo("admin"))).Http.GetAsync("/api/me")).JsonAsync()).GetProperty("id").GetGuid();
        foreach (var role in new[] { "granskare", "samordnare" })
        {
            var web = await SignedInAsync(SspfClient.Demo(role));
            foreach (var url in new[] { "/administration", "/administration/nytt-konto", $"/administration/konton/{someone}" })
            {
                var (response, html) = await web.GetAsync(url);
                Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
                Assert.Contains("Du saknar behörighet", html);
            }
            var (_, start) = await web.GetAsync("/");
            Assert.Equal(HttpStatusCode.Forbidden, (await web.PostFromAsync($"/administration/konton/{someone}?handler=Disable", start)).Response.StatusCode);
        }
        (await new WebClient(factory).GetAsync("/administration")).Response.RedirectsToSignIn();
    }
}
