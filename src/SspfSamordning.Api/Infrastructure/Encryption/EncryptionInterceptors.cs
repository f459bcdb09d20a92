using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Metadata;

namespace SspfSamordning.Api.Infrastructure.Encryption;

/// <summary>
/// Encrypts the encrypted properties of Added and Modified entries just before SaveChanges writes
/// them, and puts the plaintext back afterwards (also when the save fails or is cancelled), so that
/// entities hold plaintext and the change tracker sees no change. Only properties that are written
/// are encrypted: an unmodified property of a Modified entry is left alone. One instance per
/// process, for every app in it (it finds the app's keys with <see cref="KeyRings.Of"/>); the
/// plaintext to put back is kept per DbContext instance.
/// </summary>
public sealed class EncryptOnSaveInterceptor : SaveChangesInterceptor
{
    public static EncryptOnSaveInterceptor Instance { get; } = new();

    private EncryptOnSaveInterceptor()
    {
    }

    private sealed record Encrypted(EntityEntry Entry, IProperty Property, string Plaintext);

    private readonly ConditionalWeakTable<DbContext, List<Encrypted>> pending = new();

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        if (eventData.Context is { } context)
        {
            var work = Collect(context);
            if (work.Count > 0)
            {
                var ring = KeyRings.Of(context);
                foreach (var owner in work.Select(w => w.Owner).Distinct()) ring.Current(owner);
                Encrypt(context, ring, work);
            }
        }
        return result;
    }

    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is { } context)
        {
            var work = Collect(context);
            if (work.Count > 0)
            {
                var ring = KeyRings.Of(context);
                foreach (var owner in work.Select(w => w.Owner).Distinct()) await ring.CurrentAsync(owner, cancellationToken);
                Encrypt(context, ring, work);
            }
        }
        return result;
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        Restore(eventData.Context);
        return result;
    }

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Restore(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override void SaveChangesFailed(DbContextErrorEventData eventData) => Restore(eventData.Context);

    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Restore(eventData.Context);
        return Task.CompletedTask;
    }

    public override void SaveChangesCanceled(DbContextEventData eventData) => Restore(eventData.Context);

    public override Task SaveChangesCanceledAsync(DbContextEventData eventData, CancellationToken cancellationToken = default)
    {
        Restore(eventData.Context);
        return Task.CompletedTask;
    }

    private readonly record struct Work(EntityEntry Entry, EncryptedEntityType Type, Guid Owner, string RowId);

    private static List<Work> Collect(DbContext context)
    {
        var work = new List<Work>();
        if (EncryptedEntityType.Of(context.Model).Count == 0) return work;
        // A context that turned automatic detection off (SspfDbContext during its save) has detected its changes itself.
        if (context.ChangeTracker.AutoDetectChangesEnabled) context.ChangeTracker.DetectChanges();
        foreach (var entry in context.ChangeTracker.Entries())
        {
            if (entry.State is not (EntityState.Added or EntityState.Modified)) continue;
            if (EncryptedEntityType.Find(entry.Metadata) is not { } type) continue;
            work.Add(new Work(entry, type, OwnerOf(entry, type), RowIdOf(entry, type)));
        }
        return work;
    }

    private void Encrypt(DbContext context, KeyRing ring, List<Work> work)
    {
        var encrypted = pending.GetOrCreateValue(context);
        try
        {
            foreach (var (entry, type, owner, rowId) in work)
            {
                foreach (var field in type.Fields)
                {
                    var property = entry.Property(field.Property);
                    if (entry.State == EntityState.Modified && !property.IsModified) continue;
                    if (property.CurrentValue is not string plaintext) continue; // null stays null
                    property.CurrentValue = ring.Encrypt(plaintext, owner, type.Location(field, rowId));
                    encrypted.Add(new Encrypted(entry, field.Property, plaintext));
                }
            }
        }
        catch
        {
            Restore(context);
            throw;
        }
    }

    private void Restore(DbContext? context)
    {
        if (context is null || !pending.TryGetValue(context, out var encrypted)) return;
        pending.Remove(context);
        foreach (var (entry, property, plaintext) in encrypted)
        {
            var value = entry.Property(property);
            var accepted = entry.State == EntityState.Unchanged; // saved and accepted: ciphertext became the original value
            value.CurrentValue = plaintext;
            if (!accepted) continue;
            value.OriginalValue = plaintext;
            value.IsModified = false;
        }
    }

    private static Guid OwnerOf(EntityEntry entry, EncryptedEntityType type) =>
        entry.Property(type.KeyOwner).CurrentValue is Guid owner && owner != Guid.Empty
            ? owner
            : throw new InvalidOperationException(
                $"Field encryption: a {type.EntityType.DisplayName()} is saved without its key owner '{type.KeyOwner.Name}' set.");

    private static string RowIdOf(EntityEntry entry, EncryptedEntityType type)
    {
        var values = new object?[type.Key.Count];
        for (var i = 0; i < values.Length; i++)
        {
            var key = entry.Property(type.Key[i]);
            if (key.IsTemporary)
                throw new InvalidOperationException(
                    $"Field encryption: {type.EntityType.DisplayName()} has a store-generated key; encrypted rows need a key set before saving (e.g. Guid.CreateVersion7()).");
            values[i] = key.CurrentValue;
        }
        return RowIds.Format(values);
    }
}
