using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;

namespace SspfSamordning.Api.Infrastructure.Encryption;

/// <summary>
/// The data keys in the database: create, find, rotate and shred, wrapping the key material with Data
/// Protection. Stateless and thread-safe (a singleton); caching is <see cref="KeyRing"/>'s job.
/// Every operation runs on a DbContext of its own (a fresh DI scope), so key rows are committed on
/// their own, before the data that uses them, and lookups can run while a query is being read.
/// </summary>
/// <remarks>
/// Consequence on SQLite: a write transaction opened explicitly on the app's DbContext holds the
/// database's write lock, so a first key created inside it would wait for that lock. Create keys first
/// (<see cref="KeyRing.CurrentAsync"/>) when encrypted entities of a new owner are saved inside an
/// explicit transaction. PostgreSQL has no such limit.
/// </remarks>
public sealed class DataKeyStore
{
    /// <summary>The Data Protection purpose of wrapped data keys; change the version to change the scheme.</summary>
    public const string Purpose = "Sspf.DataKeys.v1";
    private const int MaxAttempts = 5;

    private readonly IServiceScopeFactory scopes;
    private readonly Func<IServiceProvider, DbContext> contextOf;
    private readonly IDataProtector protector;
    private readonly TimeProvider time;
    private readonly UnwrappedKeyCache? unwrapped;

    /// <param name="contextOf">Resolves, from a fresh scope, a DbContext whose model has <see cref="DataKeyModel.AddDataKeys"/>.</param>
    /// <param name="unwrapped">The process's memo of unwraps (<see cref="UnwrappedKeyCache"/>), or null to unwrap every time.</param>
    public DataKeyStore(IServiceScopeFactory scopes, Func<IServiceProvider, DbContext> contextOf, IDataProtectionProvider dataProtection, TimeProvider time,
        UnwrappedKeyCache? unwrapped = null)
    {
        this.scopes = scopes;
        this.contextOf = contextOf;
        protector = dataProtection.CreateProtector(Purpose);
        this.time = time;
        this.unwrapped = unwrapped;
    }

    /// <summary>The owner's current (highest version) key, creating version 1 if the owner has none.
    /// Two instances racing to create it both end up with the one row the unique index let in.</summary>
    public async Task<DataKeyMaterial> GetOrCreateCurrentAsync(Guid ownerId, CancellationToken cancellationToken = default)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = contextOf(scope.ServiceProvider);
            var current = await CurrentRow(db, ownerId).AsNoTracking().FirstOrDefaultAsync(cancellationToken);
            if (current is not null) return Unwrap(current);

            var (row, material) = NewKey(ownerId, version: 1);
            db.Add(row);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return material;
            }
            catch (DbUpdateException) when (attempt < MaxAttempts)
            {
                // Another instance created the owner's first key between our read and our insert: read theirs.
            }
        }
    }

    /// <summary>Creates the next version of the owner's key for new writes and retires the previous one.
    /// If another instance rotated concurrently, its new key is returned instead of a second one.</summary>
    public async Task<DataKeyMaterial> RotateAsync(Guid ownerId, CancellationToken cancellationToken = default)
    {
        int? seenVersion = null;
        for (var attempt = 1; ; attempt++)
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = contextOf(scope.ServiceProvider);
            var current = await CurrentRow(db, ownerId).FirstOrDefaultAsync(cancellationToken);
            if (current is not null && seenVersion is not null && current.Version > seenVersion) return Unwrap(current);
            seenVersion ??= current?.Version ?? 0;

            var (row, material) = NewKey(ownerId, (current?.Version ?? 0) + 1);
            db.Add(row);
            if (current is not null) current.RetiredAt = time.GetUtcNow();
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return material;
            }
            catch (DbUpdateException) when (attempt < MaxAttempts)
            {
                // Another instance rotated at the same time; the next attempt returns its key.
            }
        }
    }

    /// <summary>Finds a key by id for decryption (synchronous: used while a query's results are read).</summary>
    /// <exception cref="DataKeyUnavailableException">No such key (shredded), or it cannot be unwrapped.</exception>
    public DataKeyMaterial Find(Guid keyId)
    {
        using var scope = scopes.CreateScope();
        var row = contextOf(scope.ServiceProvider).Set<DataKey>().AsNoTracking().FirstOrDefault(k => k.Id == keyId);
        return Unwrap(row ?? throw NotFound(keyId));
    }

    /// <inheritdoc cref="Find"/>
    public async Task<DataKeyMaterial> FindAsync(Guid keyId, CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var row = await contextOf(scope.ServiceProvider).Set<DataKey>().AsNoTracking().FirstOrDefaultAsync(k => k.Id == keyId, cancellationToken);
        return Unwrap(row ?? throw NotFound(keyId));
    }

    /// <summary>Crypto-shredding: deletes every key version of the owner, which makes every copy of the
    /// owner's ciphertext (backups included) undecryptable. Returns the number of keys deleted.</summary>
    public async Task<int> ShredAsync(Guid ownerId, CancellationToken cancellationToken = default)
    {
        unwrapped?.ForgetOwner(ownerId);
        await using var scope = scopes.CreateAsyncScope();
        var deleted = await contextOf(scope.ServiceProvider).Set<DataKey>().Where(k => k.OwnerId == ownerId).ExecuteDeleteAsync(cancellationToken);
        unwrapped?.ForgetOwner(ownerId); // a read that unwrapped one of them meanwhile
        return deleted;
    }

    private static IQueryable<DataKey> CurrentRow(DbContext db, Guid ownerId) =>
        db.Set<DataKey>().Where(k => k.OwnerId == ownerId).OrderByDescending(k => k.Version);

    /// <summary>A new key version for the owner: the row to store and the unwrapped material.</summary>
    internal (DataKey Row, DataKeyMaterial Material) NewKey(Guid ownerId, int version)
    {
        var id = Guid.CreateVersion7(time.GetUtcNow());
        var key = RandomNumberGenerator.GetBytes(FieldCipher.KeySizeBytes);
        var row = new DataKey
        {
            Id = id,
            OwnerId = ownerId,
            Version = version,
            WrappedKey = ProtectorFor(id, ownerId).Protect(key),
            CreatedAt = time.GetUtcNow(),
        };
        return (row, new DataKeyMaterial(id, ownerId, version, key));
    }

    /// <summary>The row's key material: from Data Protection, or — for the very same row (id, owner, wrapped bytes) unwrapped
    /// within the last minutes in this process — a copy from <see cref="UnwrappedKeyCache"/>. The row itself is always the one
    /// just read from the database.</summary>
    internal DataKeyMaterial Unwrap(DataKey row)
    {
        if (unwrapped?.TryGet(row) is { } known) return new DataKeyMaterial(row.Id, row.OwnerId, row.Version, known);
        try
        {
            var key = ProtectorFor(row.Id, row.OwnerId).Unprotect(row.WrappedKey);
            unwrapped?.Add(row, key);
            return new DataKeyMaterial(row.Id, row.OwnerId, row.Version, key);
        }
        catch (CryptographicException)
        {
            try
            {
                // A key wrapped before owners were bound (its owner is bound once --rotate-data-keys has replaced it).
                return new DataKeyMaterial(row.Id, row.OwnerId, row.Version, LegacyProtectorFor(row.Id).Unprotect(row.WrappedKey));
            }
            catch (CryptographicException e)
            {
                throw new DataKeyUnavailableException(row.Id,
                    "it cannot be unwrapped. The Data Protection key ring that wrapped it, or the master key (certificate) that protects that key ring, "
                    + "is not available, or the key's row was changed (another id or owner).", e);
            }
        }
    }

    // The key id and the owner as sub-purposes bind each wrapped key to its row and its owner: a wrapped key copied to
    // another row, or a row re-pointed to another owner (so that erasing the first owner would miss the key), does not unwrap.
    private IDataProtector ProtectorFor(Guid keyId, Guid ownerId) => LegacyProtectorFor(keyId).CreateProtector("owner:" + ownerId.ToString("D"));

    private IDataProtector LegacyProtectorFor(Guid keyId) => protector.CreateProtector(keyId.ToString("D"));

    private static DataKeyUnavailableException NotFound(Guid keyId) =>
        new(keyId, "no such key. It was shredded (the data it protected is erased) or never existed.");
}
