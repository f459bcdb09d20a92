using System.Data.Common;
using System.Linq.Expressions;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Query;
using Microsoft.EntityFrameworkCore.Storage;
using SspfSamordning.Api.Infrastructure.Persistence;
using SspfSamordning.Domain.Cases;

namespace SspfSamordning.Api.Features.Cases;

/// <summary>
/// A read's aggregate but the members, from one command of a SELECT per table by the case's id — every row of the case
/// read once — and built by EF's own materializers (<see cref="IStructuralTypeMaterializerSource"/>: EF constructs each
/// entity and the app's <see cref="Infrastructure.Encryption.DecryptingMaterializerSource"/> decrypts its values with the
/// row's AAD and key owner, as in any query). Untracked, as <c>AsNoTracking</c> reads it. The visibility rule is not here:
/// the caller has decided it with EF's statement for this id first (<see cref="CaseAccess.LoadForReadAsync"/>).
/// </summary>
/// <remarks>
/// Issue 22, round eighteen. EF's single query joins the child collections as a cartesian product and its shaper compares
/// every joined row's keys; its split queries are one round trip per collection. Here each row comes once, in one round
/// trip, whatever the case's size, so no bound between the two is needed. The command goes through EF's relational command
/// (its connection, transaction, logging, interceptors and exception handling); the SQL is built from the model once
/// per model: every mapped column of each table, each row tied to the case by its foreign key — through its parent's
/// for a consent's answers and a follow-up's assessments — and ordered by key, so every collection comes in EF's order.
/// Like EF's split queries, the visibility statement and this command are not one snapshot, nor are the command's SELECTs
/// on PostgreSQL (each statement sees what was committed when it began): a row added or removed meanwhile is or is not in
/// the answer, as it would be had the read come a moment earlier; an answer or assessment whose consent or follow-up came
/// after that parent's SELECT is left out.
/// </remarks>
internal static class AggregateRows
{
    /// <summary>The aggregate's navigations as <see cref="CaseAccess"/>'s includes name them, but the members (parent before child).</summary>
    private static readonly string[][] Paths =
    [
        [nameof(Case.Guardians)], [nameof(Case.Consents)], [nameof(Case.Consents), nameof(Consent.Answers)], [nameof(Case.Meetings)],
        [nameof(Case.ActionPlan)], [nameof(Case.Interventions)], [nameof(Case.FollowUps)], [nameof(Case.FollowUps), nameof(FollowUp.Assessments)],
        [nameof(Case.Disclosures)],
    ];

    private const string CaseIdParameter = "caseId";

    /// <summary>The case's aggregate but the members, with <paramref name="members"/> added — or null when the case row is gone.</summary>
    public static async Task<Case?> ReadAsync(SspfDbContext db, Guid caseId, IReadOnlyList<CaseMember> members, CancellationToken ct)
    {
        var plan = plans.GetValue(db.Model, _ => new Plan(db));
        var materializers = db.GetService<IStructuralTypeMaterializerSource>();
        var connection = db.GetService<IRelationalConnection>();
        // The plan's command is a template shared by every request; each read rents a command of its own, as EF's queries do.
        var command = connection.RentCommand();
        command.PopulateFrom(plan.Command);
        try
        {
            var parameters = new RelationalCommandParameterObject(connection, new Dictionary<string, object?> { [CaseIdParameter] = caseId },
                null, db, db.GetService<IRelationalCommandDiagnosticsLogger>(), CommandSource.FromSqlQuery);
            await using var data = await command.ExecuteReaderAsync(parameters, ct);
            return await MaterializeAsync(data.DbDataReader, plan, caseId, members, materializers, db, ct);
        }
        finally
        {
            connection.ReturnCommand(command);
        }
    }

    private static async Task<Case?> MaterializeAsync(DbDataReader reader, Plan plan, Guid caseId, IReadOnlyList<CaseMember> members,
        IStructuralTypeMaterializerSource materializers, DbContext db, CancellationToken ct)
    {
        if (!await reader.ReadAsync(ct)) return null;
        plan.Root.CheckKeyOwner(reader, caseId);
        var @case = (Case)plan.Root.Materialize(reader, materializers, db);
        foreach (var member in members) plan.Members.Add(@case, member, forMaterialization: true);
        // Each table's rows by key, to add them to their parent (the case, or a consent or follow-up read just before).
        var byKey = new Dictionary<(Table, object), object>();
        foreach (var table in plan.Children)
        {
            await reader.NextResultAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                table.CheckKeyOwner(reader, caseId);
                var (entity, parentKey) = (table.Materialize(reader, materializers, db), table.ParentKey(reader));
                var parent = table.Parent is null ? @case : byKey.GetValueOrDefault((table.Parent, parentKey!));
                if (parent is null) continue; // its parent was added after the parent's SELECT (see the remarks)
                table.AddTo(parent, entity);
                if (table.IsParent) byKey[(table, table.Key(reader))] = entity;
            }
        }
        return @case;
    }

    private static readonly ConditionalWeakTable<IModel, Plan> plans = new();

    /// <summary>The command and the tables it reads, built once per model.</summary>
    private sealed class Plan
    {
        public Plan(SspfDbContext db)
        {
            var model = db.Model;
            var sql = db.GetService<ISqlGenerationHelper>();
            var caseType = model.FindEntityType(typeof(Case))!;
            var id = caseType.FindPrimaryKey()!.Properties.Single();
            var placeholder = sql.GenerateParameterNamePlaceholder(CaseIdParameter);
            Root = new Table(caseType, null, null, isParent: false, sql);
            Members = caseType.FindNavigation(nameof(Case.Members))!.GetCollectionAccessor()!;
            var tables = new Dictionary<string, Table>();
            foreach (var path in Paths)
            {
                var navigation = path.Length == 1 ? caseType.FindNavigation(path[0])!
                    : tables[path[0]].Type.FindNavigation(path[1])!;
                var parent = path.Length == 1 ? null : tables[path[0]];
                var table = new Table(navigation.TargetEntityType, navigation, parent, isParent: path.Length == 1 && Paths.Any(p => p.Length == 2 && p[0] == path[0]), sql);
                tables[string.Join('.', path)] = table;
            }
            Children = [.. Paths.Select(p => tables[string.Join('.', p)])];

            var statements = new List<string> { Root.Select(sql, $"{sql.DelimitIdentifier(Root.KeyColumn)} = {placeholder}") };
            foreach (var table in Children)
            {
                var ofCase = table.Parent is null
                    ? $"{sql.DelimitIdentifier(table.ForeignKeyColumn!)} = {placeholder}"
                    : $"{sql.DelimitIdentifier(table.ForeignKeyColumn!)} IN (SELECT {sql.DelimitIdentifier(table.Parent.KeyColumn)} FROM {table.Parent.From(sql)} WHERE {sql.DelimitIdentifier(table.Parent.ForeignKeyColumn!)} = {placeholder})";
                statements.Add(table.Select(sql, ofCase));
            }
            Command = db.GetService<IRelationalCommandBuilderFactory>().Create()
                .Append(string.Join(sql.StatementTerminator + "\n", statements))
                .AddParameter(CaseIdParameter, placeholder, (RelationalTypeMapping)id.GetTypeMapping(), nullable: false)
                .Build();
        }

        public Table Root { get; }
        public Table[] Children { get; }
        public IClrCollectionAccessor Members { get; }
        public IRelationalCommandTemplate Command { get; }
    }

    /// <summary>One table's SELECT and how its rows become entities of the aggregate.</summary>
    private sealed class Table
    {
        private readonly INavigation? navigation;
        private readonly IClrCollectionAccessor? collection;
        private readonly Action<object, object>? reference;
        private readonly StoreObjectIdentifier store;
        private readonly string[] columns;
        /// <summary>Per column in the SELECT: the property's index in the value buffer and its reader (provider value to model value).</summary>
        private readonly (int Index, Func<DbDataReader, int, object?> Read)[] values;
        private readonly int bufferLength, keyOrdinal, foreignKeyOrdinal, keyOwnerOrdinal;
        private Func<MaterializationContext, object>? materializer;

        public Table(IEntityType type, INavigation? navigation, Table? parent, bool isParent, ISqlGenerationHelper sql)
        {
            Type = type;
            this.navigation = navigation;
            collection = navigation is { IsCollection: true } ? navigation.GetCollectionAccessor() : null;
            reference = navigation is { IsCollection: false } ? SetterOf(navigation) : null;
            Parent = parent;
            IsParent = isParent;
            store = StoreObjectIdentifier.Table(type.GetTableName()!, type.GetSchema());
            var properties = Infrastructure.Encryption.EncryptedEntityType.PropertiesOf(type).ToList();
            columns = [.. properties.Select(p => p.GetColumnName(store)!)];
            values = [.. properties.Select(p => (p.GetIndex(), ReaderOf(p)))];
            bufferLength = properties.Max(p => p.GetIndex()) + 1;
            KeyColumn = type.FindPrimaryKey()!.Properties.Single().GetColumnName(store)!;
            keyOrdinal = Array.IndexOf(columns, KeyColumn);
            ForeignKeyColumn = navigation?.ForeignKey.Properties.Single().GetColumnName(store);
            foreignKeyOrdinal = ForeignKeyColumn is null ? -1 : Array.IndexOf(columns, ForeignKeyColumn);
            keyOwnerOrdinal = Infrastructure.Encryption.EncryptedEntityType.Find(type) is { } encryption
                ? Array.IndexOf(columns, encryption.KeyOwner.GetColumnName(store)) : -1;
        }

        public IEntityType Type { get; }
        public Table? Parent { get; }
        public bool IsParent { get; }
        public string KeyColumn { get; }
        public string? ForeignKeyColumn { get; }

        public string From(ISqlGenerationHelper sql) => sql.DelimitIdentifier(store.Name, store.Schema);

        public string Select(ISqlGenerationHelper sql, string where) =>
            $"SELECT {string.Join(", ", columns.Select(c => sql.DelimitIdentifier(c)))} FROM {From(sql)} WHERE {where} ORDER BY {sql.DelimitIdentifier(KeyColumn)}";

        public object Key(DbDataReader reader) => values[keyOrdinal].Read(reader, keyOrdinal)!;

        public object? ParentKey(DbDataReader reader) => Parent is null ? null : values[foreignKeyOrdinal].Read(reader, foreignKeyOrdinal);

        /// <summary>The row's key owner must be the case (<see cref="Aggregates.RequireKeyOwner"/>), checked on every table that has one.</summary>
        public void CheckKeyOwner(DbDataReader reader, Guid caseId)
        {
            if (keyOwnerOrdinal >= 0)
                Aggregates.RequireKeyOwner(caseId, values[keyOwnerOrdinal].Read(reader, keyOwnerOrdinal), store.Name, columns[keyOwnerOrdinal], Key(reader));
        }

        public object Materialize(DbDataReader reader, IStructuralTypeMaterializerSource materializers, DbContext db)
        {
            var buffer = new object?[bufferLength];
            for (var i = 0; i < values.Length; i++) buffer[values[i].Index] = values[i].Read(reader, i);
            // EF compiles a type's materializer on every GetMaterializer call (the app's decrypting source caches its own): once per table.
            return (materializer ??= materializers.GetMaterializer(Type))(new MaterializationContext(new ValueBuffer(buffer), db));
        }

        public void AddTo(object parent, object entity)
        {
            if (collection is not null) collection.Add(parent, entity, forMaterialization: true);
            else reference!(parent, entity);
        }

        /// <summary>A reference navigation's setter, through the member EF materializes it with (its backing field).</summary>
        private static Action<object, object> SetterOf(INavigation navigation)
        {
            var (parent, value) = (Expression.Parameter(typeof(object), "parent"), Expression.Parameter(typeof(object), "value"));
            var member = Expression.MakeMemberAccess(Expression.Convert(parent, navigation.DeclaringEntityType.ClrType),
                navigation.GetMemberInfo(forMaterialization: true, forSet: true));
            return Expression.Lambda<Action<object, object>>(Expression.Assign(member, Expression.Convert(value, navigation.ClrType)), parent, value).Compile();
        }

        /// <summary>
        /// A column's value as EF's query reads it: the type mapping's data reader method, then its value converter (an
        /// enum stored as text, SQLite's ticks, a primitive collection's array or JSON); null for NULL.
        /// </summary>
        private static Func<DbDataReader, int, object?> ReaderOf(IProperty property)
        {
            var mapping = (RelationalTypeMapping)property.GetTypeMapping();
            var reader = Expression.Parameter(typeof(DbDataReader), "reader");
            var ordinal = Expression.Parameter(typeof(int), "ordinal");
            var method = mapping.GetDataReaderMethod();
            Expression value = Expression.Call(
                method.DeclaringType!.IsAssignableFrom(typeof(DbDataReader)) ? reader : Expression.Convert(reader, method.DeclaringType), method, ordinal);
            value = mapping.CustomizeDataReaderExpression(value);
            var converter = mapping.Converter;
            var provider = converter?.ProviderClrType ?? mapping.ClrType;
            if (value.Type != provider) value = Expression.Convert(value, provider);
            if (converter is not null)
                value = ReplacingExpressionVisitor.Replace(converter.ConvertFromProviderExpression.Parameters[0], value, converter.ConvertFromProviderExpression.Body);
            if (value.Type != property.ClrType) value = Expression.Convert(value, property.ClrType);
            var body = Expression.Condition(Expression.Call(reader, typeof(DbDataReader).GetMethod(nameof(DbDataReader.IsDBNull))!, ordinal),
                Expression.Constant(null, typeof(object)), Expression.Convert(value, typeof(object)));
            return Expression.Lambda<Func<DbDataReader, int, object?>>(body, reader, ordinal).Compile();
        }
    }
}
