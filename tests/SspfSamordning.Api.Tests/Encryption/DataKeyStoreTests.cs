using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SspfSamordning.Api.Infrastructure.Encryption;

namespace SspfSamordning.Api.Tests.Encryption;

public sealed class DataKeyStoreTests : IAsyncLifetime
{
    private EncryptionTestDatabase database = null!;
    private DataKeyStore store = null!;

    public async ValueTask InitializeAsync()
    {
        database = await EncryptionTestDatabase.CreateAsync();
        store = database.Instance().GetRequiredService<DataKeyStore>();
    }

    public ValueTask DisposeAsync() => database.DisposeAsync();

    private async Task<List<Dictionary<string, object?>>> KeyRowsOf(Guid owner) =>
        (await database.ReadRawAsync("DataKeys")).Where(k => Guid.Parse(k["OwnerId"]!.ToString()!) == owner).ToList();

    [Fact]
    public async Task GetOrCreateCurrent_CalledTwice_ReturnsTheSameKey()
    {
        var owner = Guid.CreateVersion7();

        var first = await store.GetOrCreateCurrentAsync(owner);
        var second = await store.GetOrCreateCurrentAsync(owner);

        Assert.Equal(first.KeyId, second.KeyId);
        Assert.Equal(first.Key, second.Key);
        Assert.Equal(1, first.Version);
        Assert.Single(await KeyRowsOf(owner));
    }

    [Fact]
    public async Task GetOrCreateCurrent_FromConcurrentInstances_CreatesOneKey()
    {
        await store.GetOrCreateCurrentAsync(Guid.CreateVersion7()); // the shared Data Protection key ring exists before the race
        var instances = Enumerable.Range(0, 6).Select(_ => database.Instance().GetRequiredService<DataKeyStore>()).ToList();
        var owner = Guid.CreateVersion7();

        var keys = await Task.WhenAll(instances.Select(i => Task.Run(() => i.GetOrCreateCurrentAsync(owner))));

        Assert.Single(keys.Select(k => k.KeyId).Distinct());
        Assert.Single(await KeyRowsOf(owner));
    }

    [Fact]
    public async Task TheDatabase_RejectsASecondKeyWithTheSameOwnerAndVersion()
    {
        var existing = await store.GetOrCreateCurrentAsync(Guid.CreateVersion7());
        await using var scope = database.Instance().CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<EncryptionTestContext>();
        db.Add(new DataKey { Id = Guid.CreateVersion7(), OwnerId = existing.OwnerId, Version = 1, WrappedKey = [1, 2, 3], CreatedAt = DateTimeOffset.UtcNow });

        await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
    }

    [Fact]
    public async Task Rotate_CreatesTheNextVersionAndRetiresThePreviousWhichStillUnwraps()
    {
        var owner = Guid.CreateVersion7();
        var first = await store.GetOrCreateCurrentAsync(owner);

        var second = await store.RotateAsync(owner);

        Assert.Equal(2, second.Version);
        Assert.NotEqual(first.KeyId, second.KeyId);
        Assert.Equal(second.KeyId, (await store.GetOrCreateCurrentAsync(owner)).KeyId);
        Assert.Equal(first.Key, (await store.FindAsync(first.KeyId)).Key);
        var rows = await KeyRowsOf(owner);
        Assert.NotNull(rows.Single(r => Convert.ToInt32(r["Version"]) == 1)["RetiredAt"]);
        Assert.Null(rows.Single(r => Convert.ToInt32(r["Version"]) == 2)["RetiredAt"]);
    }

    [Fact]
    public async Task Rotate_FromConcurrentInstances_LeavesOneNewerVersion()
    {
        var owner = Guid.CreateVersion7();
        await store.GetOrCreateCurrentAsync(owner);
        var instances = Enumerable.Range(0, 4).Select(_ => database.Instance().GetRequiredService<DataKeyStore>()).ToList();

        var rotated = await Task.WhenAll(instances.Select(i => Task.Run(() => i.RotateAsync(owner))));

        Assert.All(rotated, k => Assert.True(k.Version >= 2));
        var versions = (await KeyRowsOf(owner)).Select(r => Convert.ToInt32(r["Version"])).Order().ToList();
        Assert.Equal(Enumerable.Range(1, versions.Count), versions); // no gaps, no duplicates
    }

    [Fact]
    public async Task TheStoredKey_IsWrappedNotTheKeyMaterial()
    {
        var key = await store.GetOrCreateCurrentAsync(Guid.CreateVersion7());

        var wrapped = (byte[])(await KeyRowsOf(key.OwnerId)).Single()["WrappedKey"]!;

        Assert.True(wrapped.Length > key.Key.Length);
        Assert.Equal(-1, wrapped.AsSpan().IndexOf(key.Key.AsSpan(0, 8)));
    }

    [Fact]
    public async Task AWrappedKeyCopiedToAnotherKeyRow_DoesNotUnwrap()
    {
        var a = await store.GetOrCreateCurrentAsync(Guid.CreateVersion7());
        var b = await store.GetOrCreateCurrentAsync(Guid.CreateVersion7());
        var wrappedA = (byte[])(await KeyRowsOf(a.OwnerId)).Single()["WrappedKey"]!;

        await database.ExecuteAsync("UPDATE \"DataKeys\" SET \"WrappedKey\" = {0} WHERE \"Id\" = {1}", wrappedA, b.KeyId);

        Assert.Throws<DataKeyUnavailableException>(() => store.Find(b.KeyId));
    }

    [Fact]
    public async Task Shred_DeletesEveryVersionOfTheOwnerOnly()
    {
        var owner = Guid.CreateVersion7();
        var other = await store.GetOrCreateCurrentAsync(Guid.CreateVersion7());
        var first = await store.GetOrCreateCurrentAsync(owner);
        var second = await store.RotateAsync(owner);

        Assert.Equal(2, await store.ShredAsync(owner));

        Assert.Empty(await KeyRowsOf(owner));
        Assert.Throws<DataKeyUnavailableException>(() => store.Find(first.KeyId));
        await Assert.ThrowsAsync<DataKeyUnavailableException>(() => store.FindAsync(second.KeyId));
        Assert.Equal(other.Key, store.Find(other.KeyId).Key);
    }
}
