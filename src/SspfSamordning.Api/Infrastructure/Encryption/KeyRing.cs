using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace SspfSamordning.Api.Infrastructure.Encryption;

/// <summary>
/// The unwrapped data keys one DbContext (so one request or job scope) has used, in front of the
/// <see cref="DataKeyStore"/>, plus encryption and decryption of single values with them. Not
/// thread-safe, like the DbContext it belongs to.
/// </summary>
/// <remarks>
/// The cache lives exactly as long as its DbContext; there is no process-wide cache. A key shredded by
/// another scope can therefore still be used by a scope that unwrapped it earlier, until that scope
/// ends (at most one request or one job batch).
/// </remarks>
public sealed class KeyRing(DataKeyStore store)
{
    private readonly Dictionary<Guid, DataKeyMaterial> byId = [];
    private readonly Dictionary<Guid, DataKeyMaterial> currentByOwner = [];

    /// <summary>The owner's current key, created if the owner has none yet.</summary>
    public async ValueTask<DataKeyMaterial> CurrentAsync(Guid ownerId, CancellationToken cancellationToken = default) =>
        currentByOwner.TryGetValue(ownerId, out var key) ? key : Remember(await store.GetOrCreateCurrentAsync(ownerId, cancellationToken), current: true);

    /// <summary>Synchronous <see cref="CurrentAsync"/>, for the synchronous SaveChanges only (blocks on the store).</summary>
    public DataKeyMaterial Current(Guid ownerId) => CurrentAsync(ownerId).AsTask().GetAwaiter().GetResult();

    /// <summary>
    /// Creates the first key of a new owner (a case or report being added) as a row in <paramref name="context"/>'s
    /// unit of work, so that the key is committed in the same transaction as the data it protects — and vanishes
    /// with it on rollback. A new owner has no key yet, so no other instance can race to create one.
    /// </summary>
    public void CreateFirstKeyIn(DbContext context, Guid ownerId)
    {
        if (currentByOwner.ContainsKey(ownerId)) return;
        var (row, material) = store.NewKey(ownerId, version: 1);
        context.Add(row);
        Remember(material, current: true);
    }

    /// <summary>
    /// Loads every key of the owners <paramref name="ownerIds"/> selects in one query on <paramref name="context"/> (this
    /// ring's context), before a query that materializes many owners' rows — else each row looks its key up on its own.
    /// </summary>
    public async Task PreloadAsync(DbContext context, IQueryable<Guid> ownerIds, CancellationToken cancellationToken = default) =>
        Preload(await context.Set<DataKey>().AsNoTracking().Where(k => ownerIds.Contains(k.OwnerId)).ToListAsync(cancellationToken));

    /// <summary>Unwraps and keeps key rows the caller has just read from the database (every key of each owner among them).</summary>
    public void Preload(IReadOnlyCollection<DataKey> rows)
    {
        // An owner's highest version is its current key (as DataKeyStore.GetOrCreateCurrentAsync): a save that follows needs no lookup.
        var current = rows.GroupBy(r => r.OwnerId).Select(g => g.MaxBy(r => r.Version)!.Id).ToHashSet();
        foreach (var row in rows.Where(r => !byId.ContainsKey(r.Id) || current.Contains(r.Id) && !currentByOwner.ContainsKey(r.OwnerId)))
            Remember(byId.TryGetValue(row.Id, out var known) ? known : store.Unwrap(row), current: current.Contains(row.Id));
    }

    /// <exception cref="DataKeyUnavailableException">Shredded, unknown or not unwrappable.</exception>
    public DataKeyMaterial Find(Guid keyId) => byId.TryGetValue(keyId, out var key) ? key : Remember(store.Find(keyId), current: false);

    /// <summary>Makes a new key version current for the owner's new writes (old values still decrypt).</summary>
    public async Task<DataKeyMaterial> RotateAsync(Guid ownerId, CancellationToken cancellationToken = default) =>
        Remember(await store.RotateAsync(ownerId, cancellationToken), current: true);

    /// <summary>Crypto-shreds the owner (see <see cref="DataKeyStore.ShredAsync"/>) and forgets its keys here.</summary>
    public async Task<int> ShredAsync(Guid ownerId, CancellationToken cancellationToken = default)
    {
        currentByOwner.Remove(ownerId);
        foreach (var key in byId.Values.Where(k => k.OwnerId == ownerId).ToList())
        {
            byId.Remove(key.KeyId);
            key.Destroy();
        }
        return await store.ShredAsync(ownerId, cancellationToken);
    }

    /// <summary>Encrypts with the owner's current key, which must have been fetched (<see cref="CurrentAsync"/>) in this ring.</summary>
    public string Encrypt(string plaintext, Guid ownerId, FieldLocation location) =>
        FieldCipher.Encrypt(plaintext, currentByOwner.TryGetValue(ownerId, out var key) ? key : Current(ownerId), location);

    /// <summary>
    /// Decrypts a stored value. A value without the <c>v1.</c> prefix is refused as tampered: anyone who can write the
    /// database could otherwise substitute text of their choosing. Only the migration pass (<see cref="FieldReEncryption"/>,
    /// <paramref name="acceptPlaintext"/>) takes it as plaintext left by an earlier version, to encrypt it.
    /// </summary>
    /// <param name="owner">The row's key owner as stored (its case or report): a value whose key belongs to another owner — a
    /// row moved to another case, so that erasing the first would miss it — is refused as tampered.</param>
    /// <exception cref="CiphertextTamperedException"/>
    /// <exception cref="DataKeyUnavailableException"/>
    public string Decrypt(string stored, FieldLocation location, Guid? owner = null, bool acceptPlaintext = false)
    {
        if (!FieldCipher.IsCiphertext(stored)) return acceptPlaintext ? stored : throw new CiphertextTamperedException(location);
        if (!FieldCipher.TryReadKeyId(stored, out var keyId)) throw new CiphertextTamperedException(location);
        var key = Find(keyId);
        if (owner is { } o && key.OwnerId != o) throw new CiphertextTamperedException(location);
        return FieldCipher.Decrypt(stored, key, location);
    }

    /// <summary>Frees the keys' native cipher contexts and zeroes their key bytes (the ring's context is being disposed).</summary>
    internal void Release()
    {
        foreach (var key in byId.Values) key.Destroy();
        byId.Clear();
        currentByOwner.Clear();
    }

    private DataKeyMaterial Remember(DataKeyMaterial key, bool current)
    {
        byId[key.KeyId] = key;
        if (current) currentByOwner[key.OwnerId] = key;
        return key;
    }
}

/// <summary>Hands out the <see cref="KeyRing"/> of each DbContext instance (a singleton; the rings die with their contexts).</summary>
public sealed class KeyRings(DataKeyStore store)
{
    // Static: a context's ring is found without resolving services (decryption asks for it once per materialized row,
    // and resolving a singleton takes the root scope's lock). Each ring is created by its own app's KeyRings, with that
    // app's store, so apps sharing a process (test servers) never share a ring.
    private static readonly ConditionalWeakTable<DbContext, KeyRing> rings = new();

    public KeyRing For(DbContext context) => rings.GetValue(context, _ => new KeyRing(store));

    /// <summary>Called when <paramref name="context"/> is disposed: frees its ring's native cipher contexts at once.</summary>
    public static void Release(DbContext context)
    {
        if (rings.TryGetValue(context, out var ring))
        {
            rings.Remove(context);
            ring.Release();
        }
    }

    /// <summary>The key ring of a DbContext registered with AddDbContext in an app that called
    /// <see cref="FieldEncryptionServices.AddFieldEncryption{TContext}"/> (found through the context's application service provider).</summary>
    public static KeyRing Of(DbContext context)
    {
        if (rings.TryGetValue(context, out var ring)) return ring;
        var services = context.GetService<IDbContextOptions>().FindExtension<CoreOptionsExtension>()?.ApplicationServiceProvider;
        var keyRings = services?.GetService<KeyRings>() ?? throw new InvalidOperationException(
            $"Field encryption: {context.GetType().Name} has encrypted properties but its app has no field encryption. "
            + "Register the context with AddDbContext and call AddFieldEncryption.");
        return keyRings.For(context);
    }
}
