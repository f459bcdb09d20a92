using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SspfSamordning.Api.Tests.Infrastructure;

namespace SspfSamordning.Api.Tests.Admin;

/// <summary>
/// Issue 15 item 1: the administrators cannot give themselves, or an account they control, case access.
/// Nobody changes their own account; oversight roles stand alone; every added role waits for a second administrator
/// of the account's municipalities.
/// </summary>
public sealed class SeparationOfDutiesTests(SspfApiFactory factory) : IClassFixture<SspfApiFactory>
{
    private async Task<SspfClient> SignedInAsync(string name, string municipality = "falkenberg")
    {
        var client = factory.CreateSspfClient();
        await client.SignInAsync(SspfClient.Demo(name, municipality));
        return client;
    }

    private static async Task<Guid> OwnIdAsync(SspfClient client) => (await (await client.Http.GetAsync("/api/me")).JsonAsync()).GetProperty("id").GetGuid();

    private static async Task<Guid> UnitIdAsync(SspfClient client) =>
        (await (await client.Http.GetAsync("/api/me")).JsonAsync()).GetProperty("unit").GetProperty("id").GetGuid();

    private async Task<HttpResponseMessage> CreateAsync(SspfClient admin, string email, params string[] roles) =>
        await admin.Http.PostAsJsonAsync("/api/admin/users", new
        {
            email, displayName = "Testperson", unitId = await UnitIdAsync(admin), roles, initialPassword = "Start-losenord-2026",
        });

    private static async Task<string[]> RolesOfAsync(SspfClient user) =>
        [.. (await (await user.Http.GetAsync("/api/me")).JsonAsync()).GetProperty("roles").EnumerateArray().Select(r => r.GetString()!)];

    [Fact]
    public async Task Administrator_CannotChangeDisableOrResetItself()
    {
        var admin = await SignedInAsync("admin");
        var ownId = await OwnIdAsync(admin);

        var roles = await admin.Http.PutAsJsonAsync($"/api/admin/users/{ownId}/roles", new { roles = new[] { "Samordnare" } });
        await roles.EnsureStatusAsync(HttpStatusCode.Conflict);
        Assert.Contains("egna roller", await roles.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await (await admin.Http.PutAsJsonAsync($"/api/admin/users/{ownId}/roles", new { roles = new[] { "Administratör", "Samordnare" } }))
            .EnsureStatusAsync(HttpStatusCode.BadRequest);
        await (await admin.Http.PostAsync($"/api/admin/users/{ownId}/disable", null)).EnsureStatusAsync(HttpStatusCode.Conflict);
        await (await admin.Http.PostAsync($"/api/admin/users/{ownId}/two-factor/reset", null)).EnsureStatusAsync(HttpStatusCode.Conflict);

        // Nothing changed: still an administrator, still signed in, no grant waiting.
        Assert.Equal(["Administratör"], await RolesOfAsync(admin));
        var grants = await (await admin.Http.GetAsync("/api/admin/role-grants?pageSize=100")).JsonAsync();
        Assert.DoesNotContain(grants.GetProperty("items").EnumerateArray(), g => g.GetProperty("userId").GetGuid() == ownId);
        await (await admin.Http.GetAsync("/api/cases")).EnsureStatusAsync(HttpStatusCode.Forbidden);
    }

    [Theory]
    [InlineData("Administratör", "Samordnare")]
    [InlineData("Administratör", "Socialsekreterare")]
    [InlineData("Granskare", "Polis")]
    [InlineData("Analytiker", "Skola")]
    [InlineData("Granskare", "Fritid")]
    [InlineData("Administratör", "Granskare")]
    [InlineData("Granskare", "Analytiker")]
    [InlineData("Administratör", "Analytiker")]
    public async Task OversightRole_CannotBeCombined_OnCreationOrChange(string oversight, string other)
    {
        var admin = await SignedInAsync("admin");
        var email = $"kombination-{Guid.NewGuid():N}@falkenberg.example";
        var created = await CreateAsync(admin, email, oversight, other);
        await created.EnsureStatusAsync(HttpStatusCode.BadRequest);
        Assert.Contains("kan inte kombineras", (await created.JsonAsync()).GetProperty("errors").GetProperty("roles")[0].GetString(), StringComparison.Ordinal);
        await (await factory.CreateSspfClient().TokenAsync(email, "Start-losenord-2026")).EnsureOAuthErrorAsync("invalid_grant");

        // Another account: the same set is refused as a change too, whichever role the account holds now.
        var granskareId = await OwnIdAsync(await SignedInAsync("granskare"));
        var changed = await admin.Http.PutAsJsonAsync($"/api/admin/users/{granskareId}/roles", new { roles = new[] { other, oversight } });
        await changed.EnsureStatusAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["Granskare"], await RolesOfAsync(await SignedInAsync("granskare")));
    }

    [Fact]
    public async Task CaseReadingRoles_MayBeCombinedWithEachOther()
    {
        var admin = await SignedInAsync("admin");
        var created = await CreateAsync(admin, "soc-och-samordnare@falkenberg.example", "Samordnare", "Socialsekreterare");
        await created.EnsureStatusAsync(HttpStatusCode.Created);
        var grant = (await created.JsonAsync()).GetProperty("pendingRoleGrant");
        Assert.Equal(["Samordnare", "Socialsekreterare"], grant.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
    }

    [Fact]
    public async Task OnePersonGrant_StaysPending_AndGivesNoCaseAccess_UntilASecondAdministratorApproves()
    {
        var admin = await SignedInAsync("admin");
        var adminId = await OwnIdAsync(admin);
        const string email = "egen.samordnare@falkenberg.example";
        var created = await CreateAsync(admin, email, "Samordnare");
        await created.EnsureStatusAsync(HttpStatusCode.Created);
        var body = await created.JsonAsync();
        Assert.Empty(body.GetProperty("roles").EnumerateArray());
        var grant = body.GetProperty("pendingRoleGrant");
        Assert.Equal("Pending", grant.GetProperty("state").GetString());
        Assert.Equal(adminId, grant.GetProperty("requestedByUserId").GetGuid());
        var grantId = grant.GetProperty("id").GetGuid();

        // The administrator signs in as the account it created (it knows the initial password): no roles, no cases.
        var sockPuppet = factory.CreateSspfClient();
        await sockPuppet.SignInWithPasswordAsync(email, "Start-losenord-2026");
        Assert.Empty(await RolesOfAsync(sockPuppet));
        await (await sockPuppet.Http.GetAsync("/api/cases")).EnsureStatusAsync(HttpStatusCode.Forbidden);

        // The requester cannot approve its own request, not even twice or after asking again.
        var own = await admin.Http.PostAsync($"/api/admin/role-grants/{grantId}/approve", null);
        await own.EnsureStatusAsync(HttpStatusCode.Conflict);
        Assert.Contains("egen begäran", await own.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await (await admin.Http.PostAsync($"/api/admin/role-grants/{grantId}/approve", null)).EnsureStatusAsync(HttpStatusCode.Conflict);
        Assert.Empty(await RolesOfAsync(sockPuppet));

        // The second administrator sees it pending and approves it.
        var second = await SignedInAsync(AdminSteps.SecondAdmin);
        var pending = await (await second.Http.GetAsync("/api/admin/role-grants?pageSize=100")).JsonAsync();
        Assert.Contains(pending.GetProperty("items").EnumerateArray(), g => g.GetProperty("id").GetGuid() == grantId);
        var approved = await second.Http.PostAsync($"/api/admin/role-grants/{grantId}/approve", null);
        await approved.EnsureStatusAsync(HttpStatusCode.OK);
        var decided = await approved.JsonAsync();
        Assert.Equal("Approved", decided.GetProperty("state").GetString());
        Assert.Equal(await OwnIdAsync(second), decided.GetProperty("decidedByUserId").GetGuid());

        // Approved once: a second decision is refused, and the list no longer holds it.
        await (await second.Http.PostAsync($"/api/admin/role-grants/{grantId}/approve", null)).EnsureStatusAsync(HttpStatusCode.Conflict);
        await (await second.Http.PostAsync($"/api/admin/role-grants/{grantId}/reject", null)).EnsureStatusAsync(HttpStatusCode.Conflict);
        var after = await (await second.Http.GetAsync("/api/admin/role-grants?pageSize=100")).JsonAsync();
        Assert.DoesNotContain(after.GetProperty("items").EnumerateArray(), g => g.GetProperty("id").GetGuid() == grantId);

        // The change ended the account's session; signed in again it has the role.
        await (await sockPuppet.Http.GetAsync("/api/me")).EnsureStatusAsync(HttpStatusCode.Unauthorized);
        await sockPuppet.SignInWithPasswordAsync(email, "Start-losenord-2026");
        Assert.Equal(["Samordnare"], await RolesOfAsync(sockPuppet));
    }

    [Fact]
    public async Task AddingARole_ToAnExistingAccount_IsPending_AndTheOwnerOfTheGrantCannotApproveIt()
    {
        var admin = await SignedInAsync("admin");
        var second = await SignedInAsync(AdminSteps.SecondAdmin);
        var secondId = await OwnIdAsync(second);

        // The first administrator asks to make the second one a Samordnare: the second may not approve its own roles.
        var requested = await admin.Http.PutAsJsonAsync($"/api/admin/users/{secondId}/roles", new { roles = new[] { "Samordnare" } });
        await requested.EnsureStatusAsync(HttpStatusCode.Accepted);
        var grantId = AdminSteps.GrantId(await requested.JsonAsync());
        var self = await second.Http.PostAsync($"/api/admin/role-grants/{grantId}/approve", null);
        await self.EnsureStatusAsync(HttpStatusCode.Conflict);
        Assert.Contains("egna roller", await self.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(["Administratör"], await RolesOfAsync(second));

        // Withdrawn by the requester.
        var withdrawn = await admin.Http.PostAsync($"/api/admin/role-grants/{grantId}/reject", null);
        await withdrawn.EnsureStatusAsync(HttpStatusCode.OK);
        Assert.Equal("Rejected", (await withdrawn.JsonAsync()).GetProperty("state").GetString());
        Assert.Equal(["Administratör"], await RolesOfAsync(second));
    }

    [Fact]
    public async Task AnotherAdministrator_CanReject_AndARejectedGrantCannotBeApproved()
    {
        var admin = await SignedInAsync("admin");
        var created = await CreateAsync(admin, "avslagen@falkenberg.example", "Polis");
        await created.EnsureStatusAsync(HttpStatusCode.Created);
        var grantId = AdminSteps.GrantId(await created.JsonAsync());

        var second = await SignedInAsync(AdminSteps.SecondAdmin);
        await (await second.Http.PostAsync($"/api/admin/role-grants/{grantId}/reject", null)).EnsureStatusAsync(HttpStatusCode.OK);
        var approve = await second.Http.PostAsync($"/api/admin/role-grants/{grantId}/approve", null);
        await approve.EnsureStatusAsync(HttpStatusCode.Conflict);
        Assert.Equal("Rejected", (await approve.JsonAsync()).GetProperty("currentState").GetString());

        var user = factory.CreateSspfClient();
        await user.SignInWithPasswordAsync("avslagen@falkenberg.example", "Start-losenord-2026");
        Assert.Empty(await RolesOfAsync(user));
    }

    [Fact]
    public async Task AdministratorOfAnotherMunicipality_CannotSeeApproveOrRejectTheGrant()
    {
        var admin = await SignedInAsync("admin");
        var created = await CreateAsync(admin, "annan.kommun@falkenberg.example", "Skola");
        await created.EnsureStatusAsync(HttpStatusCode.Created);
        var grantId = AdminSteps.GrantId(await created.JsonAsync());

        var other = await AdminTestData.FalkopingAdminAsync(factory);
        await (await other.Http.PostAsync($"/api/admin/role-grants/{grantId}/approve", null)).EnsureStatusAsync(HttpStatusCode.NotFound);
        await (await other.Http.PostAsync($"/api/admin/role-grants/{grantId}/reject", null)).EnsureStatusAsync(HttpStatusCode.NotFound);
        await (await other.Http.PostAsync($"/api/admin/role-grants/{Guid.NewGuid()}/approve", null)).EnsureStatusAsync(HttpStatusCode.NotFound);
        var list = await (await other.Http.GetAsync("/api/admin/role-grants?pageSize=100")).JsonAsync();
        Assert.DoesNotContain(list.GetProperty("items").EnumerateArray(), g => g.GetProperty("id").GetGuid() == grantId);

        // Still pending for the administrators of Falkenberg.
        var second = await SignedInAsync(AdminSteps.SecondAdmin);
        var mine = await (await second.Http.GetAsync("/api/admin/role-grants?pageSize=100")).JsonAsync();
        var pending = Assert.Single(mine.GetProperty("items").EnumerateArray(), g => g.GetProperty("id").GetGuid() == grantId);
        Assert.Equal("annan.kommun@falkenberg.example", pending.GetProperty("userEmail").GetString());
    }

    [Fact]
    public async Task RemovingRoles_TakesEffectAtOnce_AndSupersedesAPendingGrant()
    {
        var admin = await SignedInAsync("admin");
        var second = await SignedInAsync(AdminSteps.SecondAdmin);
        var created = await CreateAsync(admin, "byter.roll@falkenberg.example", "Skola", "Fritid");
        await created.EnsureStatusAsync(HttpStatusCode.Created);
        var userId = (await AdminSteps.ApproveAsync(second, created)).GetProperty("id").GetGuid();

        var more = await admin.Http.PutAsJsonAsync($"/api/admin/users/{userId}/roles", new { roles = new[] { "Skola", "Fritid", "Samordnare" } });
        await more.EnsureStatusAsync(HttpStatusCode.Accepted);
        var fewer = await admin.Http.PutAsJsonAsync($"/api/admin/users/{userId}/roles", new { roles = new[] { "Skola" } });
        await fewer.EnsureStatusAsync(HttpStatusCode.OK);
        Assert.Equal(["Skola"], (await fewer.JsonAsync()).GetProperty("roles").EnumerateArray().Select(r => r.GetString()));

        // The earlier request would undo the removal: it is no longer pending.
        var stale = await second.Http.PostAsync($"/api/admin/role-grants/{AdminSteps.GrantId(await more.JsonAsync())}/approve", null);
        await stale.EnsureStatusAsync(HttpStatusCode.Conflict);
        Assert.Equal("Superseded", (await stale.JsonAsync()).GetProperty("currentState").GetString());
        var user = factory.CreateSspfClient();
        await user.SignInWithPasswordAsync("byter.roll@falkenberg.example", "Start-losenord-2026");
        Assert.Equal(["Skola"], await RolesOfAsync(user));
    }

    [Fact]
    public async Task ConcurrentApprovals_SucceedOnce()
    {
        var admin = await SignedInAsync("admin");
        var created = await CreateAsync(admin, "samtidig@falkenberg.example", "Fritid");
        await created.EnsureStatusAsync(HttpStatusCode.Created);
        var grantId = AdminSteps.GrantId(await created.JsonAsync());
        var second = await SignedInAsync(AdminSteps.SecondAdmin);

        var answers = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => second.Http.PostAsync($"/api/admin/role-grants/{grantId}/approve", null)));
        Assert.Equal(1, answers.Count(a => a.StatusCode == HttpStatusCode.OK));
        Assert.All(answers, a => Assert.Contains(a.StatusCode, new[] { HttpStatusCode.OK, HttpStatusCode.Conflict }));
    }

    [Fact]
    public async Task ConcurrentAccountChanges_AnswerConflict_NeverServerError()
    {
        var admin = await SignedInAsync("admin");
        var second = await SignedInAsync(AdminSteps.SecondAdmin);
        var created = await CreateAsync(admin, "kapplopning@falkenberg.example", "Fritid", "Skola");
        await created.EnsureStatusAsync(HttpStatusCode.Created);
        var userId = (await AdminSteps.ApproveAsync(second, created)).GetProperty("id").GetGuid();

        // Two administrators change the same account at once: a role removal, a disable, a second-factor reset, each
        // several times. An update that lost the race to another is refused as a conflict, and nothing half-done remains.
        var requests = Enumerable.Range(0, 6).SelectMany(i => new (string Kind, Task<HttpResponseMessage> Answer)[]
        {
            ("roles", (i % 2 == 0 ? admin : second).Http.PutAsJsonAsync($"/api/admin/users/{userId}/roles", new { roles = new[] { "Fritid" } })),
            ("disable", (i % 2 == 0 ? second : admin).Http.PostAsync($"/api/admin/users/{userId}/disable", null)),
            ("reset", (i % 2 == 0 ? admin : second).Http.PostAsync($"/api/admin/users/{userId}/two-factor/reset", null)),
        }).ToList();
        await Task.WhenAll(requests.Select(r => r.Answer));
        var succeeded = new HashSet<string>();
        foreach (var (kind, task) in requests)
        {
            var answer = await task;
            if (answer.IsSuccessStatusCode) succeeded.Add(kind);
            Assert.Contains(answer.StatusCode, new[] { HttpStatusCode.OK, HttpStatusCode.NoContent, HttpStatusCode.Conflict });
            if (answer.StatusCode == HttpStatusCode.Conflict)
                Assert.Equal("ConcurrentUpdate", (await answer.JsonAsync()).GetProperty("code").GetString());
        }
        // What was answered as done is done; what was refused left nothing behind.
        var users = await (await admin.Http.GetAsync("/api/admin/users?pageSize=100")).JsonAsync();
        var user = users.GetProperty("items").EnumerateArray().Single(u => u.GetProperty("id").GetGuid() == userId);
        Assert.Equal(succeeded.Contains("roles") ? ["Fritid"] : ["Fritid", "Skola"], user.GetProperty("roles").EnumerateArray().Select(r => r.GetString()).Order());
        Assert.Equal(succeeded.Contains("disable"), user.GetProperty("disabled").GetBoolean());
    }

    [Fact]
    public async Task RoleGrantList_IsPaged()
    {
        var admin = await SignedInAsync("admin");
        for (var i = 0; i < 3; i++)
            await (await CreateAsync(admin, $"sida{i}@falkenberg.example", "Fritid")).EnsureStatusAsync(HttpStatusCode.Created);
        var page = await (await admin.Http.GetAsync("/api/admin/role-grants?pageSize=2")).JsonAsync();
        Assert.Equal(2, page.GetProperty("items").GetArrayLength());
        Assert.True(page.GetProperty("totalCount").GetInt32() >= 3);
        await (await admin.Http.GetAsync("/api/admin/role-grants?pageSize=101")).EnsureStatusAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task ResetTwoFactor_EndsSessions_AndTheUserEnrolsAgain()
    {
        var admin = await SignedInAsync("admin");
        const string email = "tappad.app@falkenberg.example";
        var created = await CreateAsync(admin, email, "Fritid");
        await created.EnsureStatusAsync(HttpStatusCode.Created);
        var userId = (await AdminSteps.ApproveAsync(await SignedInAsync(AdminSteps.SecondAdmin), created)).GetProperty("id").GetGuid();
        var user = factory.CreateSspfClient();
        var key = await user.EnrolAsync(email, "Start-losenord-2026");
        factory.Clock.Advance(TimeSpan.FromSeconds(30));
        await (await user.TokenAsync(email, "Start-losenord-2026")).EnsureOAuthErrorAsync("invalid_grant"); // the code is required now
        var session = await user.TokenAsync(email, "Start-losenord-2026", user.CodeFor(key));
        await session.EnsureStatusAsync(HttpStatusCode.OK);
        user.Use((await session.Content.ReadFromJsonAsync<TokenResponse>())!.AccessToken);

        await (await admin.Http.PostAsync($"/api/admin/users/{userId}/two-factor/reset", null)).EnsureStatusAsync(HttpStatusCode.NoContent);

        await (await user.Http.GetAsync("/api/me")).EnsureStatusAsync(HttpStatusCode.Unauthorized);
        var again = await user.SignInWithPasswordAsync(email, "Start-losenord-2026");
        Assert.True(again.TwoFactorSetupRequired);
        // The person chose an own password at the first sign-in (the initial one had to be replaced): re-auth takes that.
        string own;
        lock (factory.OwnPasswords) own = factory.OwnPasswords[(email, "Start-losenord-2026")];
        await (await user.Http.PostAsJsonAsync("/api/auth/2fa/setup", new { currentPassword = own })).EnsureStatusAsync(HttpStatusCode.OK);
    }
}
