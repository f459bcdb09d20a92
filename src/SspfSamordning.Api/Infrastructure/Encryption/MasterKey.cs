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
    public const string CertificatePathSetting = "Encryption:MasterKey:CertificatePath";
    public const string CertificatePasswordSetting = "Encryption:MasterKey:CertificatePassword";
    public const string CertificateThumbprintSetting = "Encryption:MasterKey:CertificateThumbprint";
    public const string DevelopmentFileName = "master-key.pfx";

    public static IDataProtectionBuilder ProtectKeysWithMasterKey(this IDataProtectionBuilder builder, IConfiguration configuration, IHostEnvironment environment)
    {
        var certificate = LoadCertificate(configuration, environment);
        builder.Services.AddSingleton(new MasterKeyCertificate(certificate)); // also signs the key ring (SignedKeyRing)
        return builder.ProtectKeysWithCertificate(certificate).UnprotectKeysWithAnyCertificate(certificate);
    }

    public static X509Certificate2 LoadCertificate(IConfiguration configuration, IHostEnvironment environment)
    {
        var path = configuration[CertificatePathSetting];
        var thumbprint = configuration[CertificateThumbprintSetting];
        X509Certificate2 certificate;
        if (!string.IsNullOrWhiteSpace(path))
        {
            if (!File.Exists(path)) throw new InvalidOperationException($"{CertificatePathSetting} names a file that does not exist.");
            certificate = X509CertificateLoader.LoadPkcs12FromFile(path, configuration[CertificatePasswordSetting], X509KeyStorageFlags.EphemeralKeySet);
        }
        else if (!string.IsNullOrWhiteSpace(thumbprint))
            certificate = FromStores(thumbprint.Trim());
        else if (environment.IsDevelopment())
            certificate = DevelopmentCertificate(Path.Combine(DataDirectory.Resolve(configuration, environment), DevelopmentFileName));
        else
            throw new InvalidOperationException(
                $"No master key is configured for environment '{environment.EnvironmentName}'. Set {CertificatePathSetting} (a PKCS#12 file with "
                + $"an RSA private key) and {CertificatePasswordSetting}, or {CertificateThumbprintSetting}. Only Development generates one.");

        using var rsa = certificate.GetRSAPrivateKey();
        if (rsa is null)
            throw new InvalidOperationException("The master key certificate has no RSA private key; the key ring cannot be decrypted without it.");
        return certificate;
    }

    /// <summary>Creates (first run) or loads the Development certificate at <paramref name="path"/>.</summary>
    public static X509Certificate2 DevelopmentCertificate(string path)
    {
        var pkcs12 = DataDirectory.ReadOrCreateSecret(path, static () =>
        {
            using var rsa = RSA.Create(3072);
            var request = new CertificateRequest("CN=SSPF Samordning development master key", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyEncipherment | X509KeyUsageFlags.DataEncipherment, critical: true));
            using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(100));
            return certificate.Export(X509ContentType.Pkcs12);
        });
        return X509CertificateLoader.LoadPkcs12(pkcs12, password: null, X509KeyStorageFlags.EphemeralKeySet);
    }

    private static X509Certificate2 FromStores(string thumbprint)
    {
        foreach (var location in (StoreLocation[])[StoreLocation.CurrentUser, StoreLocation.LocalMachine])
        {
            using var store = new X509Store(StoreName.My, location);
            try
            {
                store.Open(OpenFlags.ReadOnly | OpenFlags.OpenExistingOnly);
            }
            catch (CryptographicException)
            {
                continue; // the store does not exist on this machine
            }
            var found = store.Certificates.Find(X509FindType.FindByThumbprint, thumbprint, validOnly: false);
            if (found.Count > 0) return found[0];
        }
        throw new InvalidOperationException($"No certificate with the thumbprint in {CertificateThumbprintSetting} was found in the CurrentUser or LocalMachine 'My' store.");
    }
}
