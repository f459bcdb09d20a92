using System.Globalization;
using System.Text;
using QRCoder;

namespace SspfSamordning.Api.Infrastructure.Web;

/// <summary>
/// A QR code as the pieces of an inline SVG element (viewBox size and one path of dark modules, quiet zone included),
/// rendered on the server with QRCoder: attributes only, so the Content-Security-Policy needs no inline style or script,
/// and the code never leaves the page that shows it (no image URL carrying a secret).
/// </summary>
public sealed record QrCodeSvg(int Size, string Path)
{
    public static QrCodeSvg For(string text)
    {
        using var data = QRCodeGenerator.GenerateQrCode(text, QRCodeGenerator.ECCLevel.M);
        var rows = data.ModuleMatrix;
        var path = new StringBuilder();
        for (var y = 0; y < rows.Count; y++)
        {
            var row = rows[y];
            for (var x = 0; x < row.Length; x++)
            {
                if (!row[x]) continue;
                var start = x;
                while (x + 1 < row.Length && row[x + 1]) x++;
                // One rectangle per run of dark modules in a row.
                path.Append(CultureInfo.InvariantCulture, $"M{start} {y}h{x - start + 1}v1h-{x - start + 1}z");
            }
        }
        return new QrCodeSvg(rows.Count, path.ToString());
    }
}
