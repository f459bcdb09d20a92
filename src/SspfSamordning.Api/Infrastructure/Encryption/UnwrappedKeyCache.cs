using System.Security.Cryptography;

namespace SspfSamordning.Api.Infrastructure.Encryption;

/// <summary>
/// A short-lived per-process memo of data-key unwraps (issue 22): for a key row read from the database — its id, its
/// owner and its wrapped bytes — the key material Data Protection unwrapped from exactly those three before. It saves the
/// Data Protection unprotect (sub-key derivation, HMAC, AES) of every read of a case whose key was unwrapped in the last
/// <see cref="Lifetime"/>; it never saves the database lookup: <see cref="DataKeyStore"/> reads the key row on every
/// request as before, so a shredded key (row deleted) is unavailable at once, and a row whose id, owner or wrapped bytes
/// were changed misses the memo and goes to Data Protection, which refuses it.
/// </summary>
/// <remarks>
/// Holds key material, never decrypted field values. Every hit hands out a copy (a <see cref="KeyRing"/> zeroes its
/// keys when its DbContext ends); an entry is zeroed when it expires, when it is evicted, when its owner is shredded in
/// this process, and when the cache is cleared. What it changes: a Data Protection key revoked while the app runs is
/// still honoured for the keys unwrapped with it until their entries expire (at most <see cref="Lifetime"/>).
/// Thread-safe: one lock around every access (a copy of 32 bytes), so that an entry is never zeroed while it is copied.
/// </remarks>
public sealed class UnwrappedKeyCache(TimeProvider time, TimeSpan lifetime, int capacity = UnwrappedKeyCache.DefaultCapacity)
{
    public const string LifetimeSetting = "Encryption:UnwrappedKeyCacheSeconds";
    public const int DefaultLifetimeSeconds = 120;
    public const int DefaultCapacity = 20_000;

    private sealed record Entry(Guid OwnerId, byte[] Wrapped, byte[] Key, DateTimeOffset Expires);

    private readonly Lock gate = new();
    private readonly Dictionary<Guid, Entry> entries = [];
    private DateTimeOffset nextSweep = DateTimeOffset.MinValue;

    public TimeSpan Lifetime { get; } = lifetime;
    public bool Enabled => Lifetime > TimeSpan.Zero && capacity > 0;

    internal int Count { get { lock (gate) return entries.Count; } }

    /// <summary>Tests only: the array an entry holds (not a copy), to see that it is zeroed when the entry goes.</summary>
    internal byte[]? HeldArrayOf(Guid keyId) { lock (gate) return entries.TryGetValue(keyId, out var e) ? e.Key : null; }

    /// <summary>A copy of the key unwrapped from this very row (id, owner, wrapped bytes) within the lifetime, or null.</summary>
    public byte[]? TryGet(DataKey row)
    {
        if (!Enabled) return null;
        var now = time.GetUtcNow();
        lock (gate)
        {
            SweepIfDue(now);
            if (!entries.TryGetValue(row.Id, out var entry)) return null;
            if (entry.Expires <= now)
            {
                Forget(row.Id, entry);
                return null;
            }
            if (entry.OwnerId != row.OwnerId || !CryptographicOperations.FixedTimeEquals(entry.Wrapped, row.WrappedKey)) return null;
            return (byte[])entry.Key.Clone();
        }
    }

    /// <summary>Remembers (a copy of) <paramref name="key"/>, just unwrapped by Data Protection from <paramref name="row"/>.</summary>
    public void Add(DataKey row, byte[] key)
    {
        if (!Enabled) return;
        var now = time.GetUtcNow();
        var entry = new Entry(row.OwnerId, (byte[])row.WrappedKey.Clone(), (byte[])key.Clone(), now + Lifetime);
        lock (gate)
        {
            SweepIfDue(now);
            if (entries.Count >= capacity && !entries.ContainsKey(row.Id))
            {
                Sweep(now);
                if (entries.Count >= capacity) ClearLocked();
            }
            if (entries.TryGetValue(row.Id, out var old)) CryptographicOperations.ZeroMemory(old.Key);
            entries[row.Id] = entry;
        }
    }

    /// <summary>Forgets and zeroes every key of <paramref name="ownerId"/> (it is being shredded).</summary>
    public void ForgetOwner(Guid ownerId)
    {
        lock (gate)
            foreach (var (id, entry) in entries.Where(e => e.Value.OwnerId == ownerId).ToList()) Forget(id, entry);
    }

    /// <summary>Forgets and zeroes everything.</summary>
    public void Clear()
    {
        lock (gate) ClearLocked();
    }

    private void SweepIfDue(DateTimeOffset now)
    {
        if (now < nextSweep) return;
        Sweep(now);
        nextSweep = now + Lifetime;
    }

    private void Sweep(DateTimeOffset now)
    {
        foreach (var (id, entry) in entries.Where(e => e.Value.Expires <= now).ToList()) Forget(id, entry);
    }

    private void Forget(Guid id, Entry entry)
    {
        entries.Remove(id);
        CryptographicOperations.ZeroMemory(entry.Key);
    }

    private void ClearLocked()
    {
        foreach (var entry in entries.Values) CryptographicOperations.ZeroMemory(entry.Key);
        entries.Clear();
    }
}
