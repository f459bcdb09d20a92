using System.Text.Encodings.Web;
using System.Text.Unicode;

namespace SspfSamordning.Api.Infrastructure.Web;

/// <summary>
/// The Swedish error pages of the web interface: written straight from the status code, with no detail of the cause
/// (no exception, no path, no id). 404 says the same for "does not exist" and "you may not see it". Written without the
/// page pipeline on purpose, so that an error in a page, in routing or in authorization still gets this page.
/// </summary>
public static class WebErrorPages
{
    private static readonly HtmlEncoder Html = HtmlEncoder.Create(UnicodeRanges.All);

    public static (string Title, string Text) Message(int status) => status switch
    {
        400 => ("Begäran kunde inte hanteras", "Formuläret kunde inte tas emot. Ladda om sidan och försök igen."),
        403 => ("Du saknar behörighet", "Du har inte behörighet till den här sidan."),
        404 => ("Sidan finns inte eller så saknar du behörighet", "Kontrollera adressen, eller gå tillbaka till startsidan."),
        429 => ("För många försök", "Vänta några minuter och försök igen."),
        503 => ("Tjänsten är tillfälligt otillgänglig", "Försök igen om en stund."),
        >= 500 => ("Ett oväntat fel inträffade", "Försök igen om en stund. Kontakta supporten om felet kvarstår."),
        _ => ("Begäran kunde inte hanteras", "Gå tillbaka till startsidan och försök igen."),
    };

    public static Task WriteAsync(HttpContext http)
    {
        var (title, text) = Message(http.Response.StatusCode);
        http.Response.ContentType = "text/html; charset=utf-8";
        return http.Response.WriteAsync($"""
            <!DOCTYPE html>
            <html lang="sv">
            <head>
                <meta charset="utf-8">
                <meta name="viewport" content="width=device-width, initial-scale=1">
                <title>{Html.Encode(title)} – SSPF Samordning</title>
                <link rel="stylesheet" href="/css/site.css">
            </head>
            <body>
                <a class="skip-link" href="#innehall">Hoppa till innehållet</a>
                <header class="site-header"><div class="site-header__inner"><a class="site-header__name" href="/">SSPF Samordning</a></div></header>
                <main id="innehall" class="main" tabindex="-1">
                    <h1>{Html.Encode(title)}</h1>
                    <p>{Html.Encode(text)}</p>
                    <p><a href="/">Till startsidan</a></p>
                </main>
            </body>
            </html>
            """);
    }
}
