using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace SspfSamordning.Api.Infrastructure.Encryption;

/// <summary>
/// Marks what is encrypted, in the EF model:
/// <code>
/// b.HasEncryptionKeyOwner(c => c.Id);                        // the case itself
/// b.ComplexProperty(c => c.Youth, y => y.Property(p => p.GivenName).IsEncrypted()); // complex: in the entity's row and key
/// g.HasEncryptionKeyOwner("CaseId");                          // a child: its (shadow) foreign key to the case
/// g.Property(p => p.Phone).IsEncrypted();
/// </code>
/// Encrypted properties are strings held in plaintext by the entity and stored as ciphertext in an
/// unbounded text column. Queries cannot filter, sort or join on them (the database sees only random
/// ciphertext), and a projection of such a column (<c>Select(c => c.Youth.GivenName)</c>) returns the
/// ciphertext: load the entity instead. Use a blind index for lookups (<see cref="BlindIndex"/>).
/// </summary>
public static class EncryptionModelExtensions
{
    internal const string EncryptedAnnotation = "Sspf:Encrypted";
    internal const string KeyOwnerAnnotation = "Sspf:EncryptionKeyOwner";

    /// <summary>Encrypts this string property (and removes any maximum length: ciphertext is longer than its plaintext).</summary>
    public static PropertyBuilder<TProperty> IsEncrypted<TProperty>(this PropertyBuilder<TProperty> property)
    {
        MarkEncrypted(property.Metadata);
        return property;
    }

    /// <inheritdoc cref="IsEncrypted{TProperty}(PropertyBuilder{TProperty})"/>
    public static ComplexTypePropertyBuilder<TProperty> IsEncrypted<TProperty>(this ComplexTypePropertyBuilder<TProperty> property)
    {
        MarkEncrypted(property.Metadata);
        return property;
    }

    private static void MarkEncrypted(IMutableProperty property)
    {
        if (property.ClrType != typeof(string))
            throw new InvalidOperationException($"Only string properties can be encrypted; '{property.Name}' is {property.ClrType.Name}.");
        property.SetMaxLength(null);
        property.SetAnnotation(EncryptedAnnotation, true);
    }

    /// <summary>The property (may be a shadow property) holding the id of the key owner (the case) of each row.</summary>
    public static EntityTypeBuilder HasEncryptionKeyOwner(this EntityTypeBuilder entity, string propertyName)
    {
        entity.HasAnnotation(KeyOwnerAnnotation, propertyName);
        return entity;
    }

    /// <inheritdoc cref="HasEncryptionKeyOwner(EntityTypeBuilder, string)"/>
    public static EntityTypeBuilder<TEntity> HasEncryptionKeyOwner<TEntity>(this EntityTypeBuilder<TEntity> entity, Expression<Func<TEntity, Guid>> property)
        where TEntity : class
    {
        entity.HasAnnotation(KeyOwnerAnnotation, MemberName(property));
        return entity;
    }

    /// <summary>True when the property is marked <see cref="IsEncrypted{TProperty}(PropertyBuilder{TProperty})"/>.</summary>
    public static bool IsEncrypted(this IReadOnlyProperty property) => property.FindAnnotation(EncryptedAnnotation)?.Value is true;

    private static string MemberName(LambdaExpression expression) => expression.Body is MemberExpression member
        ? member.Member.Name
        : throw new ArgumentException("Use a simple property access, e.g. c => c.Id.", nameof(expression));
}

/// <summary>One encrypted column of an entity type: a property of the entity, or of a complex property of it.</summary>
internal sealed record EncryptedField(IProperty Property, string Column)
{
    /// <summary>The member EF materializes the property through (backing field or setter).</summary>
    public System.Reflection.MemberInfo Member { get; } = Property.GetMemberInfo(forMaterialization: true, forSet: true);

    /// <summary>The complex properties leading from the entity to the object that holds <see cref="Member"/>
    /// (<c>Case.Youth</c> for the youth's values); empty for the entity's own properties.</summary>
    public IReadOnlyList<IComplexProperty> Path { get; } = PathOf(Property.DeclaringType);

    public static IReadOnlyList<IComplexProperty> PathOf(ITypeBase type) =>
        type is IComplexType complex ? [.. PathOf(complex.ComplexProperty.DeclaringType), complex.ComplexProperty] : [];
}

/// <summary>What encryption needs to know about one entity type, computed once per model and validated.</summary>
internal sealed class EncryptedEntityType
{
    public required IEntityType EntityType { get; init; }
    public required string Table { get; init; }
    public required StoreObjectIdentifier StoreObject { get; init; }
    public required IReadOnlyList<IProperty> Key { get; init; }
    public required IProperty KeyOwner { get; init; }
    public required IReadOnlyList<EncryptedField> Fields { get; init; }

    public FieldLocation Location(EncryptedField field, string rowId) => new(Table, field.Column, rowId);

    /// <summary>
    /// A stored value of <paramref name="field"/> decrypted: by the materializer for each entity it builds, and by a query
    /// that reads one column as stored, not the entity (<c>OneOpenCase</c>'s personnummer) — its keys preloaded first.
    /// </summary>
    /// <param name="owner">The row's key owner as stored (a <see cref="Guid"/>, or null).</param>
    public string? Decrypt(KeyRing ring, string? stored, EncryptedField field, string rowId, object? owner) =>
        stored is null ? null
        : StoredValueLimit.Exceeds(stored) ? StoredValueLimit.Placeholder
        : ring.Decrypt(stored, Location(field, rowId), owner as Guid?);

    /// <summary>The encrypted entity types of a model (cached on the model); empty when nothing is encrypted.</summary>
    public static IReadOnlyDictionary<IEntityType, EncryptedEntityType> Of(IModel model) =>
        model.GetOrAddRuntimeAnnotationValue("Sspf:EncryptedEntityTypes", static m => Build(m!), model);

    public static EncryptedEntityType? Find(IEntityType entityType) => Of(entityType.Model).GetValueOrDefault(entityType);

    private static Dictionary<IEntityType, EncryptedEntityType> Build(IModel model)
    {
        var result = new Dictionary<IEntityType, EncryptedEntityType>();
        foreach (var type in model.GetEntityTypes())
        {
            // The entity's own properties and those of its complex properties (stored in its row, encrypted with its row id) —
            // collections too, which EF's flattened properties leave out: a mark there must be refused below, not ignored.
            var encrypted = PropertiesOf(type).Where(p => p.IsEncrypted()).ToList();
            if (encrypted.Count == 0) continue;
            var name = type.DisplayName();
            var table = type.GetTableName()
                ?? throw Invalid(name, "is not mapped to a table");
            var storeObject = StoreObjectIdentifier.Table(table, type.GetSchema());
            var key = type.FindPrimaryKey()?.Properties ?? throw Invalid(name, "has no primary key");
            var owner = KeyOwnerOf(type)
                ?? throw Invalid(name, "has encrypted properties but no key owner: call HasEncryptionKeyOwner(...) on it (a value in the entity's row belongs in a complex property, not an owned type)");
            if (owner.ClrType != typeof(Guid) && owner.ClrType != typeof(Guid?))
                throw Invalid(name, $"has key owner '{owner.Name}' of type {owner.ClrType.Name}; it must be a Guid");
            var fields = encrypted.Select(p =>
            {
                if (p.ClrType != typeof(string)) throw Invalid(name, $"encrypts '{p.Name}', which is not a string");
                if (p.IsShadowProperty()) throw Invalid(name, $"encrypts the shadow property '{p.Name}'; the entity must hold the plaintext");
                if (p.GetMaxLength() is not null) throw Invalid(name, $"limits the length of encrypted '{p.Name}'; ciphertext needs an unbounded column");
                if (p.IsKey() || p.IsForeignKey() || p.IsIndex()) throw Invalid(name, $"uses encrypted '{p.Name}' in a key or an index");
                // The materializer and the interceptor reach the value through the complex properties' objects, which must
                // exist (not optional) and be the entity's own (a class: a struct would be a copy).
                if (EncryptedField.PathOf(p.DeclaringType).FirstOrDefault(c => c.IsNullable || c.IsCollection || c.ClrType.IsValueType) is { } complex)
                    throw Invalid(name, $"encrypts '{p.Name}' in the complex property '{complex.Name}', which is optional, a collection or a struct");
                return new EncryptedField(p, p.GetColumnName(storeObject) ?? throw Invalid(name, $"has no column for '{p.Name}' in {table}"));
            }).ToList();
            result[type] = new EncryptedEntityType
            {
                EntityType = type,
                Table = type.GetSchema() is { } schema ? $"{schema}.{table}" : table,
                StoreObject = storeObject,
                Key = key,
                KeyOwner = owner,
                Fields = fields,
            };
        }
        return result;
    }

    /// <summary>The type's own properties and those of its complex properties, all stored in its row.</summary>
    internal static IEnumerable<IProperty> PropertiesOf(ITypeBase type) =>
        type.GetProperties().Concat(type.GetComplexProperties().SelectMany(c => PropertiesOf(c.ComplexType)));

    /// <summary>
    /// The explicit key owner of the type (or a base type). An owned entity type has none of its own: values stored in an
    /// entity's row are mapped as complex properties (<c>Case.Youth</c>), which are encrypted with the entity's row id and owner.
    /// </summary>
    private static IProperty? KeyOwnerOf(IEntityType type)
    {
        for (var t = type; t is not null; t = t.BaseType)
            if (t.FindAnnotation(EncryptionModelExtensions.KeyOwnerAnnotation)?.Value is string name)
                return type.FindProperty(name) ?? throw Invalid(type.DisplayName(), $"names key owner '{name}', which is not a property of it");
        return null;
    }

    private static InvalidOperationException Invalid(string entityType, string problem) =>
        new($"Field encryption: entity type '{entityType}' {problem}.");
}
