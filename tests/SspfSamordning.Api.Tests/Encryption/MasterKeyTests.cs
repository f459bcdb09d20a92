using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SspfSamordning.Api.Infrastructure.Encryption;

namespace SspfSamordning.Api.Tests.Encryption;

public sealed class MasterKeyTests : IAsyncLifetime
{
    private EncryptionTestDatabase database = null!;
    private readonly string folder = Directory.CreateTempSubdirectory("sspf-mk-").FullName;

    public async ValueTask InitializeAsync() => database = await EncryptionTestDatabase.CreateAsync();

    public async ValueTask DisposeAsync()
    {
        await database.DisposeAsync();
        Directory.Delete(folder, recursive: true);
    }

    private static IConfiguration Settings(params (string Key, string? Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build();

    /// <summary>An app instance whose key ring (in <paramref name="keyRing"/>) is protected by the Development master key of <paramref name="dataDirectory"/>.</summary>
    private ServiceProvider InstanceWithMasterKey(string dataDirectory, string keyRing) =>
        database.Instance(keyRing, b => b.ProtectKeysWithMasterKey(
            Settings(("Database:DataDirectory", dataDirectory)), new TestHostEnvironment("Development", dataDirectory)));

    [Fact]
    public void OutsideDevelopment_WithoutAMasterKey_RefusesToStart()
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            new ServiceCollection().AddDataProtection().ProtectKeysWithMasterKey(Settings(), new TestHostEnvironment("Production", folder)));

        Assert.Contains(MasterKey.CertificatePathSetting, error.Message);
        Assert.Contains("Production", error.Message);
    }

    [Fact]
    public void InDevelopment_ACertificateIsGeneratedOnFirstRunAndReused()
    {
        var settings = Settings(("Database:DataDirectory", folder));
        var environment = new TestHostEnvironment("Development", folder);

        using var first = MasterKey.LoadCertificate(settings, environment);
        using var second = MasterKey.LoadCertificate(settings, environment);

        Assert.True(File.Exists(Path.Combine(folder, MasterKey.DevelopmentFileName)));
        Assert.Equal(first.Thumbprint, second.Thumbprint);
        Assert.True(first.HasPrivateKey);
    }

    [Fact]
    public void AConfiguredCertificateFileWithPassword_IsTheMasterKey()
    {
        using var rsa = RSA.Create(2048);
        using var created = new CertificateRequest("CN=test master key", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            .CreateSelfSigned(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddYears(1));
        var path = Path.Combine(folder, "configured.pfx");
        File.WriteAllBytes(path, created.Export(X509ContentType.Pkcs12, "hemligt"));

        using var loaded = MasterKey.LoadCertificate(
            Settings((MasterKey.CertificatePathSetting, path), (MasterKey.CertificatePasswordSetting, "hemligt")),
            new TestHostEnvironment("Production", folder));

        Assert.Equal(created.Thumbprint, loaded.Thumbprint);
    }

    [Fact]
    public async Task TheKeyRing_IsStoredEncryptedAndAnotherInstanceWithTheSameMasterKeyUnwrapsDataKeys()
    {
        var keyRing = Path.Combine(folder, "ring");
        var owner = Guid.CreateVersion7();
        var created = await InstanceWithMasterKey(folder, keyRing).GetRequiredService<DataKeyStore>().GetOrCreateCurrentAsync(owner);

        var xml = string.Concat(Directory.GetFiles(keyRing, "*.xml").Select(File.ReadAllText));
        Assert.Contains("encryptedSecret", xml);
        Assert.DoesNotContain("<masterKey", xml);

        var found = await InstanceWithMasterKey(folder, keyRing).GetRequiredService<DataKeyStore>().FindAsync(created.KeyId);
        Assert.Equal(created.Key, found.Key);
    }

    [Fact]
    public async Task DataKeys_UnderAnotherMasterKey_CannotBeUnwrapped()
    {
        var keyRing = Path.Combine(folder, "ring");
        var created = await InstanceWithMasterKey(Path.Combine(folder, "a"), keyRing).GetRequiredService<DataKeyStore>().GetOrCreateCurrentAsync(Guid.CreateVersion7());

        var otherMasterKey = InstanceWithMasterKey(Path.Combine(folder, "b"), keyRing).GetRequiredService<DataKeyStore>();

        var error = await Assert.ThrowsAsync<DataKeyUnavailableException>(() => otherMasterKey.FindAsync(created.KeyId));
        Assert.Equal(created.KeyId, error.KeyId);
        Assert.Contains("cannot be unwrapped", error.Message);
    }

    [Fact]
    public async Task DataKeys_UnderAnotherKeyRing_CannotBeUnwrapped()
    {
        var created = await database.Instance().GetRequiredService<DataKeyStore>().GetOrCreateCurrentAsync(Guid.CreateVersion7());

        var otherKeyRing = database.Instance(Path.Combine(folder, "other-ring")).GetRequiredService<DataKeyStore>();

        Assert.Throws<DataKeyUnavailableException>(() => otherKeyRing.Find(created.KeyId));
    }
}
