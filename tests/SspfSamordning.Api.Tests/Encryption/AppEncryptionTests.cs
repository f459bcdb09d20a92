using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SspfSamordning.Api.Infrastructure.Encryption;
using SspfSamordning.Api.Infrastructure.Persistence;
using SspfSamordning.Api.Tests.Infrastructure;

namespace SspfSamordning.Api.Tests.Encryption;

/// <summary>Field-level encryption as the running app applies it (security.md): seen from the raw database, the API and the logs.</summary>
public sealed class AppEncryptionTests(SspfApiFactory factory) : IClassFixture<SspfApiFactory>
{
    internal const string GivenName = "Zlatanina";
    internal const string FamilyName = "Hemligsson";
    internal const string Phone = "070-9988776";
    internal const string Email = "vardnadshavare.hemlig@example.se";
    internal const string School = "Gömdaskolan";
    internal const string Address = "Lönngatan 7";
    internal const string CloseComment = "Flyttat till Borås med mamma";

    internal async Task<(Guid CaseId, string Personnummer)> OpenSecretCaseAsync(CaseScenario scenario)
    {
        var personnummer = TestPersonnummer.AgedOn(15, factory.Clock.GetUtcNow());
        var coordinator = await scenario.As("samordnare");
        var response = await coordinator.Http.PostAsJsonAsync("/api/cases", new
        {
            municipalityId = await scenario.MunicipalityIdAsync(),
            youth = new { personnummer, givenName = GivenName, familyName = FamilyName, school = School, address = Address },
            guardians = new[] { new { givenName = "Gunilla", familyName = FamilyName, hasCustody = true, phone = Phone, email = Email, address = Address } },
            signalCategory = "SubstanceUse",
            proposedParties = new[] { "Skola" },
        });
        await response.EnsureStatusAsync(HttpStatusCode.Created);
        return ((await response.JsonAsync()).GetProperty("id").GetGuid(), personnummer);
    }

    [Fact]
    public async Task RawDatabase_AfterCaseWork_HoldsNoPersonalDataInAnyTable()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var (caseId, personnummer) = await OpenSecretCaseAsync(scenario);
        var coordinator = await scenario.As("samordnare");
        await (await coordinator.Http.PostAsJsonAsync("/api/cases/search-by-personnummer", new { personnummer })).EnsureStatusAsync(HttpStatusCode.OK);
        await (await coordinator.Http.PostAsJsonAsync($"/api/cases/{caseId}/transitions", new { trigger = "Close", closeReason = "Moved", closeComment = CloseComment }))
            .EnsureStatusAsync(HttpStatusCode.OK);

        // The API still reads it all back.
        var detail = await scenario.GetCaseAsync(caseId);
        Assert.Equal(GivenName, detail.GetProperty("youth").GetProperty("givenName").GetString());
        Assert.Equal(Phone, detail.GetProperty("guardians")[0].GetProperty("phone").GetString());

        var secrets = new[] { GivenName, FamilyName, Phone, Email, School, Address, CloseComment, personnummer, personnummer[2..], "Gunilla" };
        var values = await new RawDatabase(factory).AllValuesAsync();
        Assert.Contains(values, v => v.Table == "Cases");
        var leaks = values.Where(v => secrets.Any(s => v.Value.Contains(s, StringComparison.OrdinalIgnoreCase))).ToList();
        Assert.True(leaks.Count == 0, "Plaintext found in: " + string.Join(", ", leaks.Select(l => l.Table).Distinct()));
        Assert.Contains(values, v => v.Table == "Cases" && v.Value.StartsWith("v1.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RotationAndReEncryption_MoveEveryValueToTheNewKey_AndASecondRunChangesNothing()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var (caseId, _) = await OpenSecretCaseAsync(scenario);
        var raw = new RawDatabase(factory);
        var before = await raw.ScalarAsync($"SELECT \"YouthFamilyName\" FROM \"Cases\" WHERE \"Id\" = {Literal(caseId)}");

        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<SspfDbContext>();
            factory.Clock.Advance(TimeSpan.FromMinutes(1));
            Assert.True(await EncryptionCommands.RotateAllAsync(db, factory.Clock.GetUtcNow(), CancellationToken.None) >= 1);
            var first = await scope.ServiceProvider.GetRequiredService<FieldReEncryption>().RunAsync(db);
            Assert.True(first.ValuesRewritten > 0);
        }
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<SspfDbContext>();
            var second = await scope.ServiceProvider.GetRequiredService<FieldReEncryption>().RunAsync(db);
            Assert.Equal(0, second.ValuesRewritten);
        }

        var after = await raw.ScalarAsync($"SELECT \"YouthFamilyName\" FROM \"Cases\" WHERE \"Id\" = {Literal(caseId)}");
        var currentKey = await raw.ScalarAsync($"SELECT \"Id\" FROM \"DataKeys\" WHERE \"OwnerId\" = {Literal(caseId)} AND \"Version\" = (SELECT MAX(\"Version\") FROM \"DataKeys\" WHERE \"OwnerId\" = {Literal(caseId)})");
        Assert.NotEqual(before, after);
        Assert.True(FieldCipher.TryReadKeyId(after!, out var keyId));
        Assert.Equal(Guid.Parse(currentKey!), keyId);
        Assert.Equal(FamilyName, (await scenario.GetCaseAsync(caseId)).GetProperty("youth").GetProperty("familyName").GetString());
    }

    [Fact]
    public async Task PlaintextLeftByAnEarlierVersion_IsEncryptedByTheMigrationPass()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var (caseId, _) = await OpenSecretCaseAsync(scenario);
        var raw = new RawDatabase(factory);
        Assert.Equal(1, await raw.ExecuteAsync($"UPDATE \"Cases\" SET \"YouthSchool\" = 'Klartextskolan' WHERE \"Id\" = {Literal(caseId)}"));
        // Until the migration pass has run, the unprefixed value is refused (it could be anyone's substitution), not served.
        var refused = await (await scenario.As("samordnare")).Http.GetAsync($"/api/cases/{caseId}");
        await refused.EnsureStatusAsync(HttpStatusCode.InternalServerError);
        var body = await refused.Content.ReadAsStringAsync();
        Assert.Contains("CiphertextTampered", body);
        Assert.DoesNotContain("Klartextskolan", body);

        await EncryptionCommands.RunAsync(factory.Services, ["--reencrypt"], Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);

        var stored = await raw.ScalarAsync($"SELECT \"YouthSchool\" FROM \"Cases\" WHERE \"Id\" = {Literal(caseId)}");
        Assert.StartsWith("v1.", stored);
        Assert.Equal("Klartextskolan", (await scenario.GetCaseAsync(caseId)).GetProperty("youth").GetProperty("school").GetString());
    }

    /// <summary>
    /// The youth was an owned entity sharing the case's row until issue 22's round fourteen, and is a complex property of the
    /// case since: its stored values must keep their location — table Cases, the column, the case's id as the row id, the
    /// case as the key owner — or every youth stored before the change would fail to decrypt. Values sealed at that
    /// location (as the owned mapping sealed them) are read by the case read, the personnummer search and the one-open-case rule.
    /// </summary>
    [Fact]
    public async Task YouthValuesSealedWhereTheOwnedMappingPutThem_AreReadSearchedAndMatched()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var (caseId, personnummer) = await OpenSecretCaseAsync(scenario);
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<SspfDbContext>();
            var stored = (await db.Cases.AsNoTracking().SingleAsync(c => c.Id == caseId)).Youth.Personnummer; // normalised
            var ring = KeyRings.Of(db);
            await ring.CurrentAsync(caseId);
            string Sealed(string plaintext, string column) => ring.Encrypt(plaintext, caseId, new FieldLocation("Cases", column, caseId.ToString()));
            var raw = new RawDatabase(factory);
            Assert.Equal(1, await raw.ExecuteAsync(
                $"UPDATE \"Cases\" SET \"YouthFamilyName\" = '{Sealed("Ägdsson", "YouthFamilyName")}', \"YouthPersonnummer\" = '{Sealed(stored, "YouthPersonnummer")}' WHERE \"Id\" = {Literal(caseId)}"));
        }

        Assert.Equal("Ägdsson", (await scenario.GetCaseAsync(caseId)).GetProperty("youth").GetProperty("familyName").GetString());
        var coordinator = await scenario.As("samordnare");
        var search = await coordinator.Http.PostAsJsonAsync("/api/cases/search-by-personnummer", new { personnummer });
        await search.EnsureStatusAsync(HttpStatusCode.OK);
        Assert.Equal([caseId], (await search.JsonAsync()).GetProperty("items").EnumerateArray().Select(c => c.GetProperty("id").GetGuid()));
        await (await scenario.OpenCaseResponseAsync(personnummer)).EnsureStatusAsync(HttpStatusCode.Conflict);
    }

    /// <summary>A changed value of the youth (a complex property: no entry of its own) is encrypted by the save as the
    /// case's own values are, and read back.</summary>
    [Fact]
    public async Task AChangedYouthValue_IsStoredEncrypted_AndReadBack()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var (caseId, _) = await OpenSecretCaseAsync(scenario);
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<SspfDbContext>();
            var @case = await db.Cases.SingleAsync(c => c.Id == caseId);
            db.Entry(@case).ComplexProperty(c => c.Youth).Property(y => y.School).CurrentValue = "Flyttskolan";
            await db.SaveChangesAsync();
        }
        var stored = await new RawDatabase(factory).ScalarAsync($"SELECT \"YouthSchool\" FROM \"Cases\" WHERE \"Id\" = {Literal(caseId)}");
        Assert.StartsWith("v1.", stored);
        Assert.DoesNotContain("Flyttskolan", stored, StringComparison.Ordinal);
        Assert.Equal("Flyttskolan", (await scenario.GetCaseAsync(caseId)).GetProperty("youth").GetProperty("school").GetString());
    }

    /// <summary>A complex type's encrypted values are decrypted with its entity's row id: projected alone they are refused,
    /// not returned as ciphertext.</summary>
    [Fact]
    public async Task TheYouthProjectedWithoutItsCase_IsRefused()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        await OpenSecretCaseAsync(scenario);
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SspfDbContext>();
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => db.Cases.AsNoTracking().Select(c => c.Youth).ToListAsync());
        Assert.Contains("cannot be read without its entity", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SameValueInTwoCases_IsStoredDifferently()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var (first, _) = await OpenSecretCaseAsync(scenario);
        var (second, _) = await OpenSecretCaseAsync(scenario);
        var raw = new RawDatabase(factory);
        Assert.NotEqual(
            await raw.ScalarAsync($"SELECT \"YouthGivenName\" FROM \"Cases\" WHERE \"Id\" = {Literal(first)}"),
            await raw.ScalarAsync($"SELECT \"YouthGivenName\" FROM \"Cases\" WHERE \"Id\" = {Literal(second)}"));
    }

    [Fact]
    public async Task Logs_AfterCaseWork_ContainNoPersonalData()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var (caseId, personnummer) = await OpenSecretCaseAsync(scenario);
        var coordinator = await scenario.As("samordnare");
        await (await coordinator.Http.PostAsJsonAsync("/api/cases/search-by-personnummer", new { personnummer })).EnsureStatusAsync(HttpStatusCode.OK);
        await (await coordinator.Http.PostAsJsonAsync($"/api/cases/{caseId}/transitions", new { trigger = "Close", closeReason = "Moved", closeComment = CloseComment }))
            .EnsureStatusAsync(HttpStatusCode.OK);
        // A refused duplicate and a bad request are logged paths too.
        await (await scenario.OpenCaseResponseAsync(personnummer[..11] + "0")).Content.ReadAsStringAsync();

        Assert.NotEmpty(factory.Logs.Lines);
        var secrets = new[] { GivenName, FamilyName, Phone, Email, School, Address, CloseComment, personnummer, personnummer[2..] };
        Assert.DoesNotContain(factory.Logs.Lines, line => secrets.Any(s => line.Contains(s, StringComparison.OrdinalIgnoreCase)));
    }

    /// <summary>A Guid as the provider stores it (SQLite: upper-case text; PostgreSQL: uuid).</summary>
    internal string Literal(Guid id) => factory.Sql.Literal(id);
}

/// <summary>On a database of its own: the tampered row stays behind.</summary>
public sealed class TamperingTests(SspfApiFactory factory) : IClassFixture<SspfApiFactory>
{
    [Fact]
    public async Task CiphertextMovedToAnotherCase_IsReportedAsTampering_NotReturned()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var (victim, _) = await new AppEncryptionTests(factory).OpenSecretCaseAsync(scenario);
        var other = await scenario.OpenCaseAsync();
        var raw = new RawDatabase(factory);
        var stolen = await raw.ScalarAsync($"SELECT \"YouthGivenName\" FROM \"Cases\" WHERE \"Id\" = {new AppEncryptionTests(factory).Literal(victim)}");
        Assert.StartsWith("v1.", stolen);
        Assert.Equal(1, await raw.ExecuteAsync($"UPDATE \"Cases\" SET \"YouthGivenName\" = '{stolen}' WHERE \"Id\" = {new AppEncryptionTests(factory).Literal(other)}"));

        var response = await (await scenario.As("samordnare")).Http.GetAsync($"/api/cases/{other}");
        await response.EnsureStatusAsync(HttpStatusCode.InternalServerError);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("CiphertextTampered", body, StringComparison.Ordinal);
        Assert.DoesNotContain(AppEncryptionTests.GivenName, body, StringComparison.Ordinal);
        Assert.DoesNotContain(factory.Logs.Lines, line => line.Contains(AppEncryptionTests.GivenName, StringComparison.Ordinal));
    }

}
