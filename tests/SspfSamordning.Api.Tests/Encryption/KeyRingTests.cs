using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.DependencyInjection;
using SspfSamordning.Api.Infrastructure.Encryption;
using SspfSamordning.Api.Infrastructure.Persistence;
using SspfSamordning.Api.Tests.Infrastructure;

namespace SspfSamordning.Api.Tests.Encryption;

/// <summary>
/// The Data Protection key ring in the database is signed with the master key (issue 23, item 4): whoever can write the
/// database as the application — without the master key's private key — can plant a newer default key whose secret
/// they know, but no app instance uses it; the same key, signed with the master key, is used (so the plant would work
/// but for the signature).
/// </summary>
public sealed class KeyRingTests : IAsyncLifetime
{
    private readonly SspfApiFactory factory = new();
    private readonly List<SspfApiFactory> instances = [];

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        foreach (var instance in instances) await instance.DisposeAsync();
        await factory.DisposeAsync();
    }

    /// <summary>The key id a fresh app instance on the same database protects a data key with (bytes 4..20 of the payload).</summary>
    private Guid DefaultKeyOfANewInstance(out IReadOnlyCollection<IKey> keys)
    {
        var instance = SspfApiFactory.SharingDatabaseWith(factory);
        instances.Add(instance);
        keys = instance.Services.GetRequiredService<IKeyManager>().GetAllKeys();
        var payload = instance.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("Sspf.DataKeys.v1").Protect(new byte[32]);
        return new Guid(payload.AsSpan(4, 16));
    }

    private async Task InsertAsAppAsync(string xml)
    {
        await using var connection = factory.Sql.Connection(factory.AppConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = """INSERT INTO "DataProtectionKeys" ("FriendlyName", "Xml") VALUES ('key-planted', @xml)""";
        var parameter = command.CreateParameter();
        parameter.ParameterName = "@xml";
        parameter.Value = xml;
        command.Parameters.Add(parameter);
        Assert.Equal(1, await command.ExecuteNonQueryAsync());
    }

    /// <summary>A copy of <paramref name="original"/> under a new id that sorts first, activated a second later, expiring a year later.</summary>
    private static XElement Planted(XElement original, Guid id)
    {
        var planted = new XElement(original);
        planted.SetAttributeValue("id", id);
        foreach (var (name, by) in new[] { ("creationDate", TimeSpan.FromSeconds(1)), ("activationDate", TimeSpan.FromSeconds(1)), ("expirationDate", TimeSpan.FromDays(365)) })
        {
            var date = planted.Element(name)!;
            date.Value = System.Xml.XmlConvert.ToString(System.Xml.XmlConvert.ToDateTimeOffset(date.Value) + by);
        }
        return planted;
    }

    [Fact]
    public async Task APlantedOrChangedKey_IsIgnored_ButTheSameKeySignedWithTheMasterKey_IsUsed()
    {
        var original = DefaultKeyOfANewInstance(out _);
        var masterKey = MasterKey.DevelopmentCertificate(Path.Combine(factory.DataDirectory, MasterKey.DevelopmentFileName));
        var raw = new RawDatabase(factory);
        var stored = (await raw.ScalarAsync("""SELECT "Xml" FROM "DataProtectionKeys" """))!;
        Assert.DoesNotContain("<key ", stored[..40]); // stored wrapped and signed
        var element = SignedKeyRing.Open(stored, masterKey)!;
        Assert.Equal(original, Guid.Parse(element.Attribute("id")!.Value));
        factory.Clock.Advance(TimeSpan.FromMinutes(10));
        await Task.Delay(TimeSpan.FromSeconds(1.5)); // the planted keys are activated a second after the real one, by either clock

        // Planted unsigned; and a signed element with its content changed (the signature no longer matches).
        var unsigned = new Guid("00000000-0000-0000-0000-000000000001");
        var changed = new Guid("00000000-0000-0000-0000-000000000002");
        await InsertAsAppAsync(Planted(element, unsigned).ToString());
        await InsertAsAppAsync(stored.Replace(original.ToString(), changed.ToString()));

        Assert.Equal(original, DefaultKeyOfANewInstance(out var keys));
        Assert.Equal([original], keys.Select(k => k.KeyId));

        // Control: the very same plant, signed with the master key (which lives outside the database), becomes the default.
        var signed = new Guid("00000000-0000-0000-0000-000000000003");
        await InsertAsAppAsync(SignedKeyRing.Sign(Planted(element, signed), masterKey));
        Assert.Equal(signed, DefaultKeyOfANewInstance(out keys));
        Assert.Equal(2, keys.Count);
    }
}
