using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SspfSamordning.Api.Infrastructure.Encryption;

namespace SspfSamordning.Api.Tests.Encryption;

public sealed class FieldReEncryptionTests : IAsyncLifetime
{
    private EncryptionTestDatabase database = null!;
    private ServiceProvider app = null!;
    private readonly List<Dossier> dossiers = [];

    // Every encrypted column of the test model, by table.
    private static readonly (string Table, string[] Columns)[] EncryptedColumns =
    [
        ("Dossiers", ["Note", "Subject_Personnummer", "Subject_Name"]),
        ("Contacts", ["Name", "Phone"]),
    ];

    public async ValueTask InitializeAsync()
    {
        database = await EncryptionTestDatabase.CreateAsync();
        app = database.Instance();
        await using var scope = app.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<EncryptionTestContext>();
        for (var i = 0; i < 5; i++)
            dossiers.Add(new Dossier($"Dossier {i}", $"Anteckning {i}", new Person($"20080315238{i}", $"Person {i}"),
                new Contact($"Vårdnadshavare {i}", $"070-00000{i}"), new Contact($"Annan {i}", null)));
        db.AddRange(dossiers);
        await db.SaveChangesAsync();
    }

    public ValueTask DisposeAsync() => database.DisposeAsync();

    private async Task<ReEncryptionResult> RunAsync(int batchSize = 2, Action<ReEncryptionResult>? batchCompleted = null, CancellationToken cancellationToken = default)
    {
        await using var scope = app.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<EncryptionTestContext>();
        return await app.GetRequiredService<FieldReEncryption>().RunAsync(db, batchSize, batchCompleted, cancellationToken);
    }

    private async Task RotateAllAsync()
    {
        var store = app.GetRequiredService<DataKeyStore>();
        foreach (var dossier in dossiers) await store.RotateAsync(dossier.Id);
    }

    /// <summary>Every stored encrypted value, in a stable order.</summary>
    private async Task<List<string>> StoredValuesAsync()
    {
        var values = new List<string>();
        foreach (var (table, columns) in EncryptedColumns)
            foreach (var row in (await database.ReadRawAsync(table)).OrderBy(r => r["Id"]!.ToString()))
                values.AddRange(columns.Select(c => row[c]).OfType<string>());
        return values;
    }

    private async Task<HashSet<Guid>> KeyIdsInUseAsync() =>
        (await StoredValuesAsync()).Select(v => FieldCipher.TryReadKeyId(v, out var id) ? id : Guid.Empty).ToHashSet();

    private async Task<HashSet<Guid>> CurrentKeyIdsAsync()
    {
        var store = app.GetRequiredService<DataKeyStore>();
        var ids = new HashSet<Guid>();
        foreach (var dossier in dossiers) ids.Add((await store.GetOrCreateCurrentAsync(dossier.Id)).KeyId);
        return ids;
    }

    private async Task AssertEveryValueReadsAsSavedAsync()
    {
        await using var scope = app.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<EncryptionTestContext>();
        var loaded = await db.Dossiers.Include(d => d.Contacts).OrderBy(d => d.Title).ToListAsync();
        Assert.Equal(dossiers.Select(d => (d.Note, d.Subject.Personnummer, d.Subject.Name)), loaded.Select(d => (d.Note, d.Subject.Personnummer, d.Subject.Name)));
        Assert.Equal(
            dossiers.SelectMany(d => d.Contacts).Select(c => (c.Name, c.Phone)).Order(),
            loaded.SelectMany(d => d.Contacts).Select(c => (c.Name, c.Phone)).Order());
    }

    [Fact]
    public async Task AfterRotation_ReEncryptionGivesEveryValueItsOwnersNewKey()
    {
        var before = await KeyIdsInUseAsync();
        await RotateAllAsync();

        var result = await RunAsync();

        Assert.Equal(5 * 3 + 5 * 3, result.ValuesRewritten); // 3 per dossier row, 2 + 1 per contact pair (one phone is null)
        var after = await KeyIdsInUseAsync();
        Assert.Equal(await CurrentKeyIdsAsync(), after);
        Assert.Empty(after.Intersect(before));
        await AssertEveryValueReadsAsSavedAsync();
    }

    [Fact]
    public async Task ASecondRun_ChangesNothing()
    {
        await RotateAllAsync();
        await RunAsync();
        var stored = await StoredValuesAsync();

        var second = await RunAsync();

        Assert.Equal(0, second.ValuesRewritten);
        Assert.Equal(5 + 10, second.RowsScanned);
        Assert.Equal(stored, await StoredValuesAsync());
    }

    [Fact]
    public async Task WithoutRotation_NothingIsRewritten()
    {
        var stored = await StoredValuesAsync();

        Assert.Equal(0, (await RunAsync()).ValuesRewritten);
        Assert.Equal(stored, await StoredValuesAsync());
    }

    [Fact]
    public async Task AnInterruptedRun_IsCompletedByTheNextRun()
    {
        await RotateAllAsync();
        using var cancel = new CancellationTokenSource();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => RunAsync(batchSize: 2, batchCompleted: _ => cancel.Cancel(), cancellationToken: cancel.Token));

        var current = await CurrentKeyIdsAsync();
        var halfway = await KeyIdsInUseAsync();
        Assert.NotEmpty(halfway.Intersect(current));   // the first page was committed...
        Assert.NotEmpty(halfway.Except(current));      // ...the rest not yet
        await AssertEveryValueReadsAsSavedAsync();     // reads work during the move

        var resumed = await RunAsync(batchSize: 2);

        Assert.InRange(resumed.ValuesRewritten, 1, 29);
        Assert.Equal(current, await KeyIdsInUseAsync());
        Assert.Equal(0, (await RunAsync()).ValuesRewritten);
    }

    [Fact]
    public async Task PlaintextFromEarlierVersions_IsEncrypted()
    {
        var legacy = dossiers[2];
        await database.ExecuteAsync(
            "UPDATE \"Dossiers\" SET \"Note\" = {0}, \"Subject_Name\" = {1} WHERE \"Id\" = {2}", legacy.Note!, legacy.Subject.Name, legacy.Id);
        foreach (var contact in dossiers.SelectMany(d => d.Contacts))
            await database.ExecuteAsync("UPDATE \"Contacts\" SET \"Name\" = {0} WHERE \"Id\" = {1}", contact.Name, contact.Id);

        var result = await RunAsync();

        Assert.Equal(2 + 10, result.ValuesRewritten);
        Assert.All(await StoredValuesAsync(), v => Assert.StartsWith("v1.", v));
        Assert.Equal(await CurrentKeyIdsAsync(), await KeyIdsInUseAsync());
        await AssertEveryValueReadsAsSavedAsync();
    }

    [Fact]
    public async Task AValueMovedToAnotherRow_StopsTheRunAsTamperingAndIsNotRewritten()
    {
        await RotateAllAsync();
        var stolen = (string)(await database.ReadRawAsync("Dossiers", dossiers[0].Id))["Note"]!;
        await database.ExecuteAsync("UPDATE \"Dossiers\" SET \"Note\" = {0} WHERE \"Id\" = {1}", stolen, dossiers[1].Id);

        var error = await Assert.ThrowsAsync<CiphertextTamperedException>(() => RunAsync(batchSize: 10));

        Assert.Equal(dossiers[1].Id.ToString(), error.Location.RowId);
        Assert.Equal(stolen, (await database.ReadRawAsync("Dossiers", dossiers[1].Id))["Note"]);
    }
}
