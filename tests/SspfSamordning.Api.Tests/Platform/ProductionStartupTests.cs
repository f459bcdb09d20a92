using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Api.Infrastructure.Encryption;
using SspfSamordning.Api.Infrastructure.Persistence;
using SspfSamordning.Api.Tests.Encryption;
using SspfSamordning.Api.Tests.Infrastructure;

namespace SspfSamordning.Api.Tests.Platform;

/// <summary>The app as an operator starts it: Production, a master-key certificate, behind a TLS-terminating proxy at 10.0.0.1.</summary>
public sealed class ProductionFactory : SspfApiFactory
{
    public ProductionFactory()
    {
        HostEnvironment = "Production";
        foreach (var (key, value) in ProductionKeySettings(DataDirectory)) Settings[key] = value;
        Settings[BlindIndex.IterationsSetting] = BlindIndex.MinimumIterations.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Settings["Http:KnownProxies:0"] = "10.0.0.1";
    }

    /// <summary>What Production requires of the keys: a master-key certificate and the OpenID Connect server's certificate written to <paramref name="folder"/>, and a blind-index key.</summary>
    public static Dictionary<string, string> ProductionKeySettings(string folder)
    {
        using var rsa = RSA.Create(2048);
        using var certificate = new CertificateRequest("CN=sspf test master key", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            .CreateSelfSigned(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddYears(1));
        var path = Path.Combine(folder, "master.pfx");
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pkcs12, "hemligt"));
        Dictionary<string, string> settings = new()
        {
            [MasterKey.CertificatePathSetting] = path,
            [MasterKey.CertificatePasswordSetting] = "hemligt",
            [BlindIndex.KeySetting] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        };
        // The OpenID Connect server's keys (one certificate without key-usage limits serves both here).
        using var oidcRsa = RSA.Create(2048);
        using var oidc = new CertificateRequest("CN=sspf test oidc", oidcRsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-30), DateTimeOffset.UtcNow.AddYears(1));
        var oidcPath = Path.Combine(folder, "oidc.pfx");
        File.WriteAllBytes(oidcPath, oidc.Export(X509ContentType.Pkcs12, "hemligt"));
        foreach (var section in new[] { OpenIdServer.SigningSection, OpenIdServer.EncryptionSection })
        {
            settings[ConfiguredCertificate.PathSetting(section)] = oidcPath;
            settings[ConfiguredCertificate.PasswordSetting(section)] = "hemligt";
        }
        return settings;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        // Outside Development the app never migrates at start: as an operator runs --migrate first, so does the test
        // (the server databases are migrated by their owner in the base factory already).
        if (Provider == "Sqlite")
        {
            using var db = new SqliteSspfDbContext(new DbContextOptionsBuilder<SqliteSspfDbContext>().UseSqlite(ConnectionString).Options);
            db.Database.Migrate();
        }
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(services => services.AddTransient<IStartupFilter, TestPeerFilter>());
    }
}

/// <summary>Issue 23 item 16: production start-up states and refuses what it must; HSTS for a year, correct behind a proxy.</summary>
public sealed class ProductionStartupTests(ProductionFactory factory) : IClassFixture<ProductionFactory>
{
    private HttpClient Client(string peer, string? forwardedProto)
    {
        var client = factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Host = "sspf.example";
        client.DefaultRequestHeaders.Add(TestPeerFilter.Header, peer);
        if (forwardedProto is not null) client.DefaultRequestHeaders.Add("X-Forwarded-Proto", forwardedProto);
        return client;
    }

    [Fact]
    public async Task TheOpenIdServer_OffersNoPasswordGrant_OutsideDevelopment()
    {
        var discovery = await (await Client("10.0.0.1", "https").GetAsync("/.well-known/openid-configuration")).JsonAsync();
        Assert.StartsWith("https://sspf.example/", discovery.GetProperty("issuer").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("password", discovery.GetProperty("grant_types_supported").EnumerateArray().Select(g => g.GetString()));

        var password = await Client("10.0.0.1", "https").PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "password", ["client_id"] = OpenIdServer.DevelopmentClientId, ["username"] = "admin@falkenberg.example", ["password"] = "x",
        }));
        await password.EnsureOAuthErrorAsync("unsupported_grant_type");
    }

    [Fact]
    public async Task BehindTheKnownTlsProxy_AnswersWithHstsForAYear()
    {
        var response = await Client("10.0.0.1", "https").GetAsync("/health/live");
        await response.EnsureStatusAsync(HttpStatusCode.OK);
        Assert.Equal("max-age=31536000; includeSubDomains", string.Join(",", response.Headers.GetValues("Strict-Transport-Security")));
    }

    [Fact]
    public async Task AnUnknownPeerClaimingHttps_IsNotTakenForHttps()
    {
        var response = await Client("192.0.2.1", "https").GetAsync("/health/live");
        Assert.False(response.Headers.Contains("Strict-Transport-Security"));
    }

    [Fact]
    public void StartUp_SaysWhichDatabaseIsUsed_AndWhatSqliteCosts()
    {
        factory.CreateClient().Dispose();
        var lines = factory.Logs.Lines.ToList();
        if (factory.Sql.IsServer)
        {
            Assert.Contains(lines, l => l.Contains(factory.Provider == "Postgres" ? "Database: PostgreSQL" : "Database: SQL Server", StringComparison.Ordinal));
            Assert.DoesNotContain(lines, l => l.Contains("needs PostgreSQL", StringComparison.Ordinal));
        }
        else
        {
            Assert.Contains(lines, l => l.Contains("Database: SQLite", StringComparison.Ordinal));
            Assert.Contains(lines, l => l.Contains("needs PostgreSQL", StringComparison.Ordinal));
        }
        Assert.DoesNotContain(lines, l => l.Contains("Password=", StringComparison.OrdinalIgnoreCase));
    }
}

public sealed class ProductionStartupGuardTests
{
    [Fact]
    public void WithoutAConnectionString_RefusesToStart_InsteadOfCreatingAnSqliteFile()
    {
        using var factory = new ProductionFactory();
        factory.Settings["ConnectionStrings:Sspf"] = "";
        var error = Assert.ThrowsAny<Exception>(() => factory.CreateClient());
        Assert.Contains("ConnectionStrings:Sspf", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("PostgreSQL", error.ToString(), StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(factory.DataDirectory, "data", "sspf.db")));
    }

    [Fact]
    public void BlindIndex_BelowTheMinimumIterations_RefusesToStartOutsideDevelopment()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [BlindIndex.KeySetting] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            [BlindIndex.IterationsSetting] = (BlindIndex.MinimumIterations - 1).ToString(System.Globalization.CultureInfo.InvariantCulture),
        }).Build();

        var error = Assert.Throws<InvalidOperationException>(() =>
            BlindIndex.FromConfiguration(configuration, new TestHostEnvironment("Production", Path.GetTempPath())));
        Assert.Contains(BlindIndex.IterationsSetting, error.Message, StringComparison.Ordinal);
        // Development (and the tests) may use fewer.
        Assert.NotNull(BlindIndex.FromConfiguration(configuration, new TestHostEnvironment("Development", Path.GetTempPath())));
    }
}
