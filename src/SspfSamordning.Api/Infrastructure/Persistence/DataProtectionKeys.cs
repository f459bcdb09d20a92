using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace SspfSamordning.Api.Infrastructure.Persistence;

/// <summary>One key of the ASP.NET Core Data Protection key ring, kept in the database so every app instance shares it.</summary>
public sealed class DataProtectionKey
{
    public int Id { get; init; }
    public string? FriendlyName { get; init; }
    public required string Xml { get; init; }
}

internal sealed class DataProtectionKeyConfiguration : IEntityTypeConfiguration<DataProtectionKey>
{
    public void Configure(EntityTypeBuilder<DataProtectionKey> b) => b.Property(k => k.FriendlyName).HasMaxLength(200);
}

/// <summary>
/// Each element of the key ring is stored signed with the master key's private key (RSA-PSS, SHA-256), which lives
/// outside the database: <c>&lt;signedElement signature="…"&gt;&lt;![CDATA[element]]&gt;&lt;/signedElement&gt;</c>.
/// Whoever can write the database — the application's own role included — knows only the certificate's public key,
/// so cannot plant a key (a newer default key whose secret they know would otherwise wrap every later data key and
/// token) nor change one (its dates, or revoke it): an element whose signature does not verify is ignored.
/// </summary>
public static class SignedKeyRing
{
    private static readonly XName Wrapper = XName.Get("signedElement", "urn:sspf:key-ring:v1");
    private const string Purpose = "Sspf.KeyRing.v1\n";

    public static string Sign(XElement element, X509Certificate2 masterKey)
    {
        var text = Canonical(element.ToString(SaveOptions.DisableFormatting));
        using var rsa = masterKey.GetRSAPrivateKey() ?? throw new InvalidOperationException("The master key has no RSA private key.");
        var signature = rsa.SignData(Bytes(text), HashAlgorithmName.SHA256, RSASignaturePadding.Pss);
        return new XElement(Wrapper, new XAttribute("signature", Convert.ToBase64String(signature)), new XCData(text)).ToString(SaveOptions.DisableFormatting);
    }

    /// <summary>The element stored in <paramref name="stored"/>, or null when it is not signed by <paramref name="masterKey"/>.</summary>
    public static XElement? Open(string stored, X509Certificate2 masterKey)
    {
        try
        {
            var wrapper = XElement.Parse(stored);
            if (wrapper.Name != Wrapper || wrapper.Attribute("signature")?.Value is not { } signature) return null;
            var text = Canonical(wrapper.Value);
            using var rsa = masterKey.GetRSAPublicKey()!;
            return rsa.VerifyData(Bytes(text), Convert.FromBase64String(signature), HashAlgorithmName.SHA256, RSASignaturePadding.Pss)
                ? XElement.Parse(text) : null;
        }
        catch (Exception e) when (e is System.Xml.XmlException or FormatException or CryptographicException)
        {
            return null;
        }
    }

    /// <summary>
    /// Part of <c>--migrate</c>, run by the operator: signs the elements an earlier version stored unsigned. Only there —
    /// never when the app starts — because whatever is unsigned then is trusted. Returns how many were signed.
    /// </summary>
    public static async Task<int> SignUnsignedAsync(SspfDbContext db, X509Certificate2 masterKey, CancellationToken ct)
    {
        var signed = 0;
        foreach (var key in await db.DataProtectionKeys.ToListAsync(ct))
        {
            if (Open(key.Xml, masterKey) is not null) continue;
            XElement element;
            try { element = XElement.Parse(key.Xml); }
            catch (System.Xml.XmlException) { continue; }
            if (element.Name == Wrapper) continue; // signed, but not by this master key: not ours to vouch for
            db.Entry(key).Property(k => k.Xml).CurrentValue = Sign(element, masterKey);
            signed++;
        }
        await db.SaveChangesAsync(ct);
        return signed;
    }

    // XML parsing normalizes line ends; sign what a reader will see.
    private static string Canonical(string text) => text.Replace("\r\n", "\n").Replace('\r', '\n');

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(Purpose + text);
}

/// <summary>Stores the Data Protection key ring in the database, each element signed (<see cref="SignedKeyRing"/>).</summary>
internal sealed class DatabaseXmlRepository(IServiceScopeFactory scopes, X509Certificate2 masterKey, ILogger<DatabaseXmlRepository> logger) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<SspfDbContext>();
        var elements = new List<XElement>();
        foreach (var (id, xml) in db.Set<DataProtectionKey>().AsNoTracking().Select(k => new ValueTuple<int, string>(k.Id, k.Xml)).AsEnumerable())
        {
            if (SignedKeyRing.Open(xml, masterKey) is { } element) elements.Add(element);
            else logger.LogWarning("Key ring element {RowId} is not signed by the master key and is ignored (planted, changed, or stored before signing: run --migrate).", id);
        }
        return elements;
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<SspfDbContext>();
        db.Set<DataProtectionKey>().Add(new DataProtectionKey { FriendlyName = friendlyName, Xml = SignedKeyRing.Sign(element, masterKey) });
        db.SaveChanges();
    }
}
