using Microsoft.Extensions.DependencyInjection;
using SspfSamordning.Api.Infrastructure.Encryption;
using SspfSamordning.Api.Tests.Infrastructure;

namespace SspfSamordning.Api.Tests.Encryption;

/// <summary>
/// The per-process memo of data-key unwraps (issue 22) saves Data Protection's work, never the key row's lookup: a
/// shredded key is gone at once, a tampered row is refused as before, every hit is a copy, and what expires is zeroed.
/// </summary>
public sealed class UnwrappedKeyCacheTests : IAsyncLifetime
{
    private EncryptionTestDatabase database = null!;
    private DataKeyStore store = null!;
    private UnwrappedKeyCache cache = null!;

    public async ValueTask InitializeAsync()
    {
        database = await EncryptionTestDatabase.CreateAsync();
        var instance = database.Instance();
        store = instance.GetRequiredService<DataKeyStore>();
        cache = instance.GetRequiredService<UnwrappedKeyCache>();
    }

    public ValueTask DisposeAsync() => database.DisposeAsync();

    private async Task<byte[]> WrappedOf(Guid keyId) => (byte[])(await database.ReadRawAsync("DataKeys", keyId))["WrappedKey"]!;

    [Fact]
    public async Task ASecondFind_IsServedFromTheMemo_AsACopyThatOutlivesTheFirstRing()
    {
        var created = await store.GetOrCreateCurrentAsync(Guid.CreateVersion7());
        Assert.True(cache.Enabled);
        Assert.Equal(0, cache.Count); // a key created here was never unwrapped

        var first = store.Find(created.KeyId);
        Assert.Equal(1, cache.Count);
        var second = store.Find(created.KeyId);

        Assert.Equal(created.Key, first.Key);
        Assert.Equal(created.Key, second.Key);
        Assert.NotSame(first.Key, second.Key);
        first.Destroy(); // what a key ring does when its DbContext ends
        Assert.Equal(created.Key, second.Key);
        Assert.Equal(created.Key, store.Find(created.KeyId).Key);
    }

    [Fact]
    public async Task AShreddedKey_IsUnavailableAtOnce_ThoughItWasUnwrappedBefore()
    {
        var owner = Guid.CreateVersion7();
        var key = await store.GetOrCreateCurrentAsync(owner);
        store.Find(key.KeyId);

        await store.ShredAsync(owner);

        Assert.Throws<DataKeyUnavailableException>(() => store.Find(key.KeyId));
        await Assert.ThrowsAsync<DataKeyUnavailableException>(() => store.FindAsync(key.KeyId));
    }

    [Fact]
    public async Task AKeyRowDeletedBehindTheAppsBack_IsUnavailable_ThoughItWasUnwrappedBefore()
    {
        var key = await store.GetOrCreateCurrentAsync(Guid.CreateVersion7());
        store.Find(key.KeyId);

        await database.ExecuteAsync("DELETE FROM \"DataKeys\" WHERE \"Id\" = {0}", key.KeyId);

        Assert.Equal(1, cache.Count); // still remembered, and still of no use: the row is read every time
        Assert.Throws<DataKeyUnavailableException>(() => store.Find(key.KeyId));
    }

    [Fact]
    public async Task ARowGivenAnotherKeysWrappedBytes_AfterBothWereUnwrapped_IsRefused()
    {
        var a = await store.GetOrCreateCurrentAsync(Guid.CreateVersion7());
        var b = await store.GetOrCreateCurrentAsync(Guid.CreateVersion7());
        store.Find(a.KeyId);
        store.Find(b.KeyId);

        await database.ExecuteAsync("UPDATE \"DataKeys\" SET \"WrappedKey\" = {0} WHERE \"Id\" = {1}", await WrappedOf(a.KeyId), b.KeyId);

        Assert.Throws<DataKeyUnavailableException>(() => store.Find(b.KeyId));
    }

    [Fact]
    public async Task ARowMovedToAnotherOwner_AfterItWasUnwrapped_IsRefused()
    {
        var key = await store.GetOrCreateCurrentAsync(Guid.CreateVersion7());
        store.Find(key.KeyId);

        await database.ExecuteAsync("UPDATE \"DataKeys\" SET \"OwnerId\" = {0} WHERE \"Id\" = {1}", Guid.CreateVersion7(), key.KeyId);

        Assert.Throws<DataKeyUnavailableException>(() => store.Find(key.KeyId));
    }

    [Fact]
    public void AnExpiredEntry_IsZeroedAndMissed_AndTheCapacityIsKept_AndLifetimeZeroTurnsItOff()
    {
        var clock = new TestClock(SspfApiFactory.Start);
        var memo = new UnwrappedKeyCache(clock, TimeSpan.FromSeconds(120), capacity: 2);
        Assert.Equal(0, memo.Count);
        DataKey Row() => new() { Id = Guid.CreateVersion7(), OwnerId = Guid.CreateVersion7(), Version = 1, WrappedKey = [1, 2, 3] };
        var (row, other, third) = (Row(), Row(), Row());
        var key = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();
        memo.Add(row, key);
        var held = memo.TryGet(row)!;
        Assert.Equal(key, held);
        var inside = memo.HeldArrayOf(row.Id)!;
        Assert.NotSame(key, inside);
        Assert.NotSame(held, inside);

        clock.Advance(TimeSpan.FromSeconds(121));

        Assert.Null(memo.TryGet(row));
        Assert.Equal(0, memo.Count);
        Assert.All(inside, b => Assert.Equal(0, b));
        Assert.Equal(key, held); // a copy handed out earlier is its holder's (its ring zeroes it)

        memo.Add(row, key);
        memo.Add(other, key);
        inside = memo.HeldArrayOf(row.Id)!;
        memo.Add(third, key); // over capacity, nothing expired: everything is forgotten and zeroed, then the new one kept
        Assert.Equal(1, memo.Count);
        Assert.All(inside, b => Assert.Equal(0, b));
        Assert.Equal(key, memo.TryGet(third));
        Assert.Null(new UnwrappedKeyCache(clock, TimeSpan.Zero).TryGet(row));
    }
}
