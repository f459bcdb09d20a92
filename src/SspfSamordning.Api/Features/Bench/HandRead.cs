using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Npgsql;
using SspfSamordning.Api.Infrastructure.Encryption;
using SspfSamordning.Api.Infrastructure.Persistence;
using SspfSamordning.Domain.Cases;

namespace SspfSamordning.Api.Features.Bench;

/// <summary>
/// Benchmark build only (bench/load.sh --read-variants' "handread", issue 22, round seventeen): what reading a case's rows by
/// hand would cost — the part of a hand-written materializer that is not building the objects. In one round trip (one
/// batch, a SELECT per table by the case's id, every mapped column, ordered by id), every value read and every encrypted
/// one decrypted as the app's materializer does (<see cref="EncryptedEntityType.Decrypt"/>, the row's AAD and key owner).
/// The rows are then dropped: the read answers from the aggregate its user's first read kept, as "free" does, so that
/// "handread" − "free" is the cost of the round trip, the reading and the decryption, and the objects' construction is left out.
/// </summary>
internal static class HandRead
{
    private sealed record Table(string Sql, EncryptedEntityType? Encryption, int Id, int Owner, EncryptedField?[] Fields);

    private static readonly ConditionalWeakTable<IModel, Table[]> byModel = new();

    /// <summary>
    /// The aggregate's types as the read loads them (the members come with the visibility statement), with the condition that
    /// ties each row to the case — through their parent's indexed foreign key for answers and assessments (their key-owner
    /// column is not indexed: a first run filtered on it and PostgreSQL scanned the tables, 2.4 ms per read).
    /// </summary>
    private static readonly (Type Type, string OfCase)[] Types =
    [
        (typeof(Case), "\"Id\" = $1"), (typeof(Guardian), "\"CaseId\" = $1"), (typeof(Consent), "\"CaseId\" = $1"),
        (typeof(ConsentAnswer), "\"ConsentId\" IN (SELECT \"Id\" FROM \"Consents\" WHERE \"CaseId\" = $1)"),
        (typeof(Meeting), "\"CaseId\" = $1"), (typeof(ActionPlan), "\"CaseId\" = $1"), (typeof(Intervention), "\"CaseId\" = $1"),
        (typeof(FollowUp), "\"CaseId\" = $1"),
        (typeof(FollowUpAssessment), "\"FollowUpId\" IN (SELECT \"Id\" FROM \"FollowUps\" WHERE \"CaseId\" = $1)"),
        (typeof(Disclosure), "\"CaseId\" = $1"),
    ];

    public static async Task<int> ReadAsync(SspfDbContext db, Guid caseId, CancellationToken ct)
    {
        var tables = byModel.GetValue(db.Model, Build);
        var ring = KeyRings.Of(db);
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await using var batch = new NpgsqlBatch((NpgsqlConnection)db.Database.GetDbConnection());
            foreach (var table in tables) batch.BatchCommands.Add(new NpgsqlBatchCommand(table.Sql) { Parameters = { new() { Value = caseId } } });
            await using var reader = await batch.ExecuteReaderAsync(ct);
            var values = 0;
            foreach (var table in tables)
            {
                while (await reader.ReadAsync(ct))
                {
                    var rowId = RowIds.Format([reader.GetGuid(table.Id)]);
                    object? owner = reader.IsDBNull(table.Owner) ? null : reader.GetGuid(table.Owner);
                    for (var i = 0; i < table.Fields.Length; i++)
                    {
                        if (reader.IsDBNull(i)) continue;
                        if (table.Fields[i] is { } field) table.Encryption!.Decrypt(ring, reader.GetString(i), field, rowId, owner);
                        else reader.GetValue(i);
                        values++;
                    }
                }
                await reader.NextResultAsync(ct);
            }
            return values;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>
    /// The aggregate's own single statement as EF generates it (the app's read: every collection but the members, joined),
    /// executed by hand and every value of every joined row read, nothing decrypted or built ("handjoin"): with "free" beside
    /// it, the cost of the round trip and of reading the joined rows without EF's shaper.
    /// </summary>
    public static async Task<int> ReadJoinedAsync(SspfDbContext db, Guid caseId, CancellationToken ct)
    {
        var (sql, parameter) = joined.GetValue(db.Model, _ => JoinedStatement(db));
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await using var command = new NpgsqlCommand(sql, (NpgsqlConnection)db.Database.GetDbConnection()) { Parameters = { new(parameter, caseId) } };
            await using var reader = await command.ExecuteReaderAsync(ct);
            var values = 0;
            while (await reader.ReadAsync(ct))
                for (var i = 0; i < reader.FieldCount; i++)
                    if (!reader.IsDBNull(i)) { reader.GetValue(i); values++; }
            return values;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static readonly ConditionalWeakTable<IModel, Tuple<string, string>> joined = new();

    private static Tuple<string, string> JoinedStatement(SspfDbContext db)
    {
        var id = Guid.Empty;
        var text = db.Cases.Where(c => c.Id == id)
            .Include(c => c.Guardians).Include(c => c.Consents).ThenInclude(k => k.Answers).Include(c => c.Meetings)
            .Include(c => c.ActionPlan).Include(c => c.Interventions).Include(c => c.FollowUps).ThenInclude(f => f.Assessments)
            .Include(c => c.Disclosures).AsNoTracking().AsSingleQuery().ToQueryString();
        var lines = text.Split('\n');
        var parameter = lines.Single(l => l.StartsWith("-- @"))[3..].Split('=')[0];
        return Tuple.Create(string.Join('\n', lines.Where(l => !l.StartsWith("--"))), parameter);
    }

    private static Table[] Build(IModel model) => Types.Select(t =>
    {
        var type = model.FindEntityType(t.Type)!;
        var store = StoreObjectIdentifier.Table(type.GetTableName()!, type.GetSchema());
        var columns = EncryptedEntityType.PropertiesOf(type).Select(p => p.GetColumnName(store)!).Distinct().ToList();
        var encryption = EncryptedEntityType.Find(type);
        var fields = columns.Select(c => encryption?.Fields.FirstOrDefault(f => f.Column == c)).ToArray();
        var owner = encryption?.KeyOwner.GetColumnName(store) ?? "Id";
        var sql = $"SELECT {string.Join(", ", columns.Select(c => $"\"{c}\""))} FROM \"{store.Name}\" WHERE {t.OfCase} ORDER BY \"Id\"";
        return new Table(sql, encryption, columns.IndexOf("Id"), columns.IndexOf(owner), fields);
    }).ToArray();
}
