using System.Net;
using System.Text.RegularExpressions;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Api.Infrastructure.Web;
using SspfSamordning.Api.Tests.Infrastructure;

namespace SspfSamordning.Api.Tests.Web;

/// <summary>
/// /tvastegsverifiering draws the otpauth:// address of the key the use case just gave this session as an inline SVG QR
/// code (attributes only: no inline style under the CSP), beside the key as text; never from a posted field.
/// </summary>
public sealed class SecondFactorQrCodeTests(SspfApiFactory factory) : IClassFixture<SspfApiFactory>
{
    [Fact]
    public async Task SetUp_ShowsTheQrCodeOfTheSessionsOwnNewKey_AndATamperedKeyGetsNone()
    {
        var email = SspfClient.Demo("skola"); // no other test of this class (its own app) enrols it
        var web = new WebClient(factory);
        (await web.SubmitPasswordAsync(email)).Response.RedirectsTo(WebSession.SecondFactorPath);
        var (_, page) = await web.GetAsync(WebSession.SecondFactorPath);
        Assert.DoesNotContain("<svg", page); // no key yet, no code

        var (_, setUp) = await web.PostFromAsync(WebSession.SecondFactorPath + "?handler=SetUp", page, ("CurrentPassword", SspfClient.DemoPassword));
        var key = Regex.Match(setUp, "id=\"nyckel\">([A-Z2-7]+)<").Groups[1].Value;
        Assert.NotEmpty(key);
        var drawn = Regex.Match(setUp, "<svg class=\"qr-code\"[^>]*viewBox=\"0 0 (\\d+) \\1\"[^>]*>[\\s\\S]*?<path fill=\"#000000\" d=\"([^\"]+)\" />");
        Assert.True(drawn.Success, "no QR code on the page");
        var expected = QrCodeSvg.For(
            $"otpauth://totp/SSPF%20Samordning:{Uri.EscapeDataString(email)}?secret={key}&issuer=SSPF%20Samordning&digits=6&period=30");
        Assert.Equal(expected.Size.ToString(System.Globalization.CultureInfo.InvariantCulture), drawn.Groups[1].Value);
        Assert.Equal(expected.Path, drawn.Groups[2].Value);
        Assert.DoesNotContain("style=", setUp[setUp.IndexOf("<svg", StringComparison.Ordinal)..setUp.IndexOf("</svg>", StringComparison.Ordinal)]);

        // A wrong code with a key of someone else's choosing in the hidden field: the page draws no code for it.
        var (_, tampered) = await web.PostFromAsync(WebSession.SecondFactorPath + "?handler=Enable", setUp,
            ("SharedKey", "JBSWY3DPEHPK3PXP"), ("Code", "000000"), ("CurrentPassword", SspfClient.DemoPassword));
        Assert.Contains("Koden stämmer inte.", tampered);
        Assert.DoesNotContain("<svg", tampered);

        // The key drawn is the account's own: a code from it enables the second factor.
        factory.Clock.Advance(TimeSpan.FromSeconds(30));
        var (enabled, codes) = await web.PostFromAsync(WebSession.SecondFactorPath + "?handler=Enable", setUp,
            ("SharedKey", key), ("Code", web.Code(key)), ("CurrentPassword", SspfClient.DemoPassword));
        Assert.Equal(HttpStatusCode.OK, enabled.StatusCode);
        Assert.Contains("Dina återställningskoder", codes);
        lock (factory.AuthenticatorKeys) factory.AuthenticatorKeys[email] = key;
    }
}
