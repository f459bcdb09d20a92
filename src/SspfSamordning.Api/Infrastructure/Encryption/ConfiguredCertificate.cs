using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SspfSamordning.Api.Infrastructure.Encryption;

/// <summary>
/// An X.509 certificate (RSA, with its private key) named by configuration under one section:
/// <c>&lt;section&gt;:CertificatePath</c> (a PKCS#12 file) with <c>&lt;section&gt;:CertificatePassword</c>, or
/// <c>&lt;section&gt;:CertificateThumbprint</c> (from the CurrentUser or LocalMachine "My" store). Without either,
/// Development generates a self-signed one into the data folder on first run and reuses it (never committed: the data
/// folder is ignored); every other environment refuses to start, naming the setting. Used for the master key
/// (<see cref="MasterKey"/>) and the OpenID Connect server's signing and encryption keys.
/// </summary>
public static class ConfiguredCertificate
{
    public static string PathSetting(string section) => $"{section}:CertificatePath";
    public static string PasswordSetting(string section) => $"{section}:CertificatePassword";
    public static string ThumbprintSetting(string section) => $"{section}:CertificateThumbprint";

    /// <param name="what">What the certificate is, for the start-up error ("master key", "OpenID Connect signing key").</param>
    /// <param name="developmentFile">The file name of the Development certificate in the data folder.</param>
    /// <param name="developmentUsage">The key usage of the Development certificate.</param>
    public static X509Certificate2 Load(IConfiguration configuration, IHostEnvironment environment, string section, string what,
        string developmentFile, X509KeyUsageFlags developmentUsage)
    {
        var path = configuration[PathSetting(section)];
        var thumbprint = configuration[ThumbprintSetting(section)];
        X509Certificate2 certificate;
        if (!string.IsNullOrWhiteSpace(path))
        {
            if (!File.Exists(path)) throw new InvalidOperationException($"{PathSetting(section)} names a file that does not exist.");
            certificate = X509CertificateLoader.LoadPkcs12FromFile(path, configuration[PasswordSetting(section)], X509KeyStorageFlags.EphemeralKeySet);
        }
        else if (!string.IsNullOrWhiteSpace(thumbprint))
            certificate = FromStores(thumbprint.Trim(), ThumbprintSetting(section));
        else if (environment.IsDevelopment())
            certificate = Development(Path.Combine(DataDirectory.Resolve(configuration, environment), developmentFile), what, developmentUsage);
        else
            throw new InvalidOperationException(
                $"No {what} is configured for environment '{environment.EnvironmentName}'. Set {PathSetting(section)} (a PKCS#12 file with "
                + $"an RSA private key) and {PasswordSetting(section)}, or {ThumbprintSetting(section)}. Only Development generates one.");

        using var rsa = certificate.GetRSAPrivateKey();
        if (rsa is null)
            throw new InvalidOperationException($"The {what} certificate ({section}) has no RSA private key.");
        return certificate;
    }

    /// <summary>Creates (first run) or loads the Development certificate at <paramref name="path"/>.</summary>
    public static X509Certificate2 Development(string path, string what, X509KeyUsageFlags usage)
    {
        var pkcs12 = DataDirectory.ReadOrCreateSecret(path, () =>
        {
            using var rsa = RSA.Create(3072);
            var request = new CertificateRequest($"CN=SSPF Samordning development {what}", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            request.CertificateExtensions.Add(new X509KeyUsageExtension(usage, critical: true));
            // Valid from a year back: tests run on a clock that may lie before the day the file was made.
            using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddYears(-1), DateTimeOffset.UtcNow.AddYears(100));
            return certificate.Export(X509ContentType.Pkcs12);
        });
        return X509CertificateLoader.LoadPkcs12(pkcs12, password: null, X509KeyStorageFlags.EphemeralKeySet);
    }

    private static X509Certificate2 FromStores(string thumbprint, string setting)
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
        throw new InvalidOperationException($"No certificate with the thumbprint in {setting} was found in the CurrentUser or LocalMachine 'My' store.");
    }
}
