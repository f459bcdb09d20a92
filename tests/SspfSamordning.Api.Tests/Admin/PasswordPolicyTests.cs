using System.Net;
using System.Net.Http.Json;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Api.Tests.Infrastructure;

namespace SspfSamordning.Api.Tests.Admin;

/// <summary>Issue 23 item 15 (ASVS 5.0 V6.2): at least 12 characters, no character classes, no common or breached password.</summary>
public sealed class PasswordPolicyTests(SspfApiFactory factory) : IClassFixture<SspfApiFactory>
{
    private async Task<HttpResponseMessage> CreateWithPasswordAsync(string password)
    {
        var admin = factory.CreateSspfClient();
        await admin.SignInAsync(SspfClient.Demo("admin"));
        var unitId = (await (await admin.Http.GetAsync("/api/me")).JsonAsync()).GetProperty("unit").GetProperty("id").GetGuid();
        return await admin.Http.PostAsJsonAsync("/api/admin/users", new
        {
            email = $"losen-{Guid.NewGuid():N}@falkenberg.example", displayName = "Lösen", unitId, roles = new[] { "Fritid" }, initialPassword = password,
        });
    }

    [Theory]
    [InlineData("1qaz2wsx3edc")]       // on the list as it is
    [InlineData("1QAZ2WSX3EDC")]       // case does not help
    [InlineData("Password2026!")]      // a listed word with digits and symbols around it
    [InlineData("2024qwertyuiop!!")]
    [InlineData("Sommar202620!")]      // a Swedish word from the list
    [InlineData("ｐａｓｓｗｏｒｄ１２３４")] // full-width letters normalise (NFKC) to a listed password
    public async Task CommonOrBreachedPassword_IsRefused_InSwedish(string password)
    {
        var response = await CreateWithPasswordAsync(password);
        await response.EnsureStatusAsync(HttpStatusCode.BadRequest);
        var message = (await response.JsonAsync()).GetProperty("errors").GetProperty("initialPassword")[0].GetString();
        Assert.Equal("Lösenordet är för vanligt eller finns i listor över läckta lösenord. Välj ett annat, gärna en fras av flera ord.", message);
    }

    [Theory]
    [InlineData("hästar springer fort")] // lower case letters and spaces only
    [InlineData("KORRELATIONSTABELL")]
    [InlineData("483920174562")]
    public async Task LongPassword_WithoutCharacterClasses_IsAccepted(string password) =>
        await (await CreateWithPasswordAsync(password)).EnsureStatusAsync(HttpStatusCode.Created);

    [Fact]
    public async Task ShortPassword_IsStillRefused() =>
        Assert.Contains("minst 12 tecken", await (await CreateWithPasswordAsync("elva-tecken")).Content.ReadAsStringAsync(), StringComparison.Ordinal);

    [Fact]
    public async Task ChangePassword_ToACommonPassword_IsRefused()
    {
        var client = factory.CreateSspfClient();
        await client.SignInWithPasswordAsync(SspfClient.Demo("fritid"));
        var response = await client.Http.PostAsJsonAsync("/api/auth/password", new { currentPassword = SspfClient.DemoPassword, newPassword = "Qwertyuiop123" });
        await response.EnsureStatusAsync(HttpStatusCode.BadRequest);
        Assert.Contains("för vanligt", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await (await factory.CreateSspfClient().TokenAsync(SspfClient.Demo("fritid"))).EnsureStatusAsync(HttpStatusCode.OK);
    }

    [Fact]
    public void TheShippedList_IsLoaded_AndLeavesOrdinaryPassphrasesAlone()
    {
        Assert.InRange(CommonPasswordValidator.Count, 30_000, 31_000);
        Assert.True(CommonPasswordValidator.IsCommon("iloveyou"));
        Assert.True(CommonPasswordValidator.IsCommon("!!Dragon!!"));
        Assert.False(CommonPasswordValidator.IsCommon(SspfClient.DemoPassword));
        Assert.False(CommonPasswordValidator.IsCommon("Start-losenord-2026"));
        Assert.False(CommonPasswordValidator.IsCommon("2026-11-23 12:00"));
    }
}
