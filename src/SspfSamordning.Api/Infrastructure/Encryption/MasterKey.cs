using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.DataProtection;

namespace SspfSamordning.Api.Infrastructure.Encryption;

/// <summary>
/// The master key: an X.509 certificate (RSA, with its private key) that encrypts the Data Protection
/// key ring at rest, so the database alone cannot unwrap a data key.
/// <list type="bullet">
/// <item>Production: <c>Encryption:MasterKey:CertificatePath</c> (a PKCS#12 file) with
/// <c>Encryption:MasterKey:CertificatePassword</c>, or <c>Encryption:MasterKey:CertificateThumbprint</c>
/// (from the CurrentUser or LocalMachine "My" store).</item>
/// <item>Development without configuration: a self-signed certificate generated on first run into
/// <c>&lt;Database:DataDirectory&gt;/master-key.pfx</c> and reused afterwards.</item>
/// <item>Any other environment without configuration: startup fails, naming the setting.</item>
/// </list>
/// Data Protection decrypts a key ring element by finding its certificate in the X.509 stores, which
/// on Linux does not see a certificate loaded from a file; so the certificate is also given to
/// <c>UnprotectKeysWithAnyCertificate</c>. Losing the certificate means losing every data key, hence
/// all encrypted data: back it up apart from the database. Rotating it needs the old certificate kept
/// for decryption (not supported by this helper yet).
/// </summary>
public sealed record MasterKeyCertificate(X509Certificate2 Certificate);

public static class MasterKey
{
    private const string Section = "Encryption:MasterKey";
    public const string CertificatePathSetting = Section + ":CertificatePath";
    public const string CertificatePasswordSetting = Section + ":CertificatePassword";
    public const string CertificateThumbprintSetting = Section + ":CertificateThumbprint";
    private const X509KeyUsageFlags Usage = X509KeyUsageFlags.KeyEncipherment | X509KeyUsageFlags.DataEncipherment;
    public const string DevelopmentFileName = "master-key.pfx";

    public static IDataProtectionBuilder ProtectKeysWithMasterKey(this IDataProtectionBuilder builder, IConfiguration configuration, IHostEnvironment environment)
    {
        var certificate = LoadCertificate(configuration, environment);
        builder.Services.AddSingleton(new MasterKeyCertificate(certificate)); // also signs the key ring (SignedKeyRing)
        return builder.ProtectKeysWithCertificate(certificate).UnprotectKeysWithAnyCertificate(certificate);
    }

    public static X509Certificate2 LoadCertificate(IConfiguration configuration, IHostEnvironment environment)
        => ConfiguredCertificate.Load(configuration, environment, Section, "master key", DevelopmentFileName, Usage);

    /// <summary>Creates (first run) or loads the Development certificate at <paramref name="path"/>.</summary>
    public static X509Certificate2 DevelopmentCertificate(string path) => ConfiguredCertificate.Development(path, "master key", Usage);
}
