using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Query;
using Microsoft.EntityFrameworkCore.Storage;
#pragma warning disable EF1001 // StructuralTypeMaterializerSource is EF's own materializer (an "internal" API): extended, not reimplemented.
using Microsoft.EntityFrameworkCore.Query.Internal;

namespace SspfSamordning.Api.Infrastructure.Encryption;

/// <summary>
/// Decrypts the encrypted properties of every entity as EF materializes it from a query (tracked or not), before the
/// change tracker takes its snapshot. A value without the <c>v1.</c> prefix is refused as tampered (plaintext of an
/// earlier version is encrypted by <c>--migrate</c>'s re-encryption pass, the one place that accepts it).
/// </summary>
/// <remarks>
/// EF's own materializer, with the decryption appended to the expression it compiles for each encrypted entity type:
/// after the entity is built, each encrypted member is assigned its decrypted value. This replaced an
/// <c>IMaterializationInterceptor</c>: with any such interceptor registered, EF builds for every materialized row of
/// every entity type a dictionary with one new delegate per property (<c>DynamicMethod.CreateDelegate</c>, which takes a
/// lock) — measured under load as the largest single CPU cost of a case read (bench/results/load.md). Entity types
/// without encrypted properties are materialized exactly as EF does by default. A complex type is not materialized on its
/// own here: its values are decrypted by its entity's expression, which knows the row id; a complex type with encrypted
/// values projected without its entity (<c>Select(c => c.Youth)</c>) is refused.
/// </remarks>
public sealed class DecryptingMaterializerSource(StructuralTypeMaterializerSourceDependencies dependencies) : IStructuralTypeMaterializerSource
{
    private readonly StructuralTypeMaterializerSource inner = new(dependencies);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<Microsoft.EntityFrameworkCore.Metadata.IEntityType, Func<MaterializationContext, object>> materializers = new();

    private static readonly System.Reflection.MethodInfo RingMethod = typeof(DecryptingMaterializerSource).GetMethod(nameof(Ring), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!;
    private static readonly System.Reflection.MethodInfo RowIdMethod = typeof(RowIds).GetMethod(nameof(RowIds.Format))!;
    private static readonly System.Reflection.MethodInfo DecryptMethod = typeof(EncryptedEntityType).GetMethod(nameof(EncryptedEntityType.Decrypt))!;

    public Expression CreateMaterializeExpression(StructuralTypeMaterializerSourceParameters parameters, Expression materializationContextExpression)
    {
        // EF materializes an entity's complex properties inside the entity's expression (not through this method); here a
        // complex type comes alone, projected without its entity and its row id: its values could not be decrypted.
        if (parameters.StructuralType is Microsoft.EntityFrameworkCore.Metadata.IComplexType complexType
            && complexType.GetFlattenedProperties().Any(p => p.IsEncrypted()))
            throw new InvalidOperationException(
                $"Field encryption: '{complexType.DisplayName()}' has encrypted values and cannot be read without its entity; load the {complexType.ContainingEntityType.DisplayName()}.");
        var materialize = inner.CreateMaterializeExpression(parameters, materializationContextExpression);
        if (parameters.StructuralType is not Microsoft.EntityFrameworkCore.Metadata.IEntityType entityType
            || EncryptedEntityType.Find(entityType) is not { } type) return materialize;

        // instance = <EF's materializer>; ring = KeyRings.Of(context); rowId = RowIds.Format(key values);
        // instance.Field = type.Decrypt(ring, instance.Field, field, rowId, owner) for each encrypted field; instance
        var instance = Expression.Variable(materialize.Type, "instance");
        var ring = Expression.Variable(typeof(KeyRing), "ring");
        var rowId = Expression.Variable(typeof(string), "rowId");
        var valueBuffer = Expression.Call(materializationContextExpression, MaterializationContext.GetValueBufferMethod);
        var keyValues = Expression.NewArrayInit(typeof(object), type.Key.Select(k =>
            Expression.Convert(valueBuffer.CreateValueBufferReadValueExpression(k.ClrType, k.GetIndex(), k), typeof(object))));
        // The row's key owner as stored (e.g. a child row's case id): the key a value names must belong to it.
        var owner = Expression.Variable(typeof(object), "owner");
        var block = new List<Expression>
        {
            Expression.Assign(instance, materialize),
            Expression.Assign(ring, Expression.Call(RingMethod, materializationContextExpression)),
            Expression.Assign(rowId, Expression.Call(RowIdMethod, keyValues)),
            Expression.Assign(owner, Expression.Convert(
                valueBuffer.CreateValueBufferReadValueExpression(type.KeyOwner.ClrType, type.KeyOwner.GetIndex(), type.KeyOwner), typeof(object))),
        };
        foreach (var field in type.Fields)
        {
            // A complex property's values (the youth's) are materialized by EF inside the entity's expression, before this
            // block: they are reached through its objects (instance.Youth.GivenName) and decrypted with the entity's row id.
            var holder = field.Path.Aggregate((Expression)instance,
                (target, complex) => Expression.MakeMemberAccess(target, complex.GetMemberInfo(forMaterialization: true, forSet: false)));
            var member = Expression.MakeMemberAccess(holder, field.Member);
            block.Add(member.Assign(Expression.Call(Expression.Constant(type), DecryptMethod, ring, member, Expression.Constant(field), rowId, owner)));
        }
        block.Add(instance);
        return Expression.Block([instance, ring, rowId, owner], block);
    }

    /// <summary>A compiled materializer of the type, decrypting (EF uses these outside queries, e.g. for property values' ToObject).</summary>
    public Func<MaterializationContext, object> GetMaterializer(Microsoft.EntityFrameworkCore.Metadata.IEntityType entityType) =>
        EncryptedEntityType.Find(entityType) is null ? inner.GetMaterializer(entityType) : materializers.GetOrAdd(entityType, e =>
        {
            var context = Expression.Parameter(typeof(MaterializationContext), "materializationContext");
            var body = CreateMaterializeExpression(new StructuralTypeMaterializerSourceParameters(e, "instance", e.ClrType, IsNullable: false, QueryTrackingBehavior: null), context);
            return Expression.Lambda<Func<MaterializationContext, object>>(Expression.Convert(body, typeof(object)), context).Compile();
        });

    public Func<MaterializationContext, object> GetMaterializer(Microsoft.EntityFrameworkCore.Metadata.IComplexType complexType) => inner.GetMaterializer(complexType);
    public Func<MaterializationContext, object> GetEmptyMaterializer(Microsoft.EntityFrameworkCore.Metadata.IEntityType entityType) => inner.GetEmptyMaterializer(entityType);
    public Func<MaterializationContext, object> GetEmptyMaterializer(Microsoft.EntityFrameworkCore.Metadata.IComplexType complexType) => inner.GetEmptyMaterializer(complexType);

    private static KeyRing Ring(MaterializationContext context) => KeyRings.Of(context.Context);
}
