using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Migrations;
using SspfSamordning.Api.Infrastructure.Persistence;

namespace SspfSamordning.Api.Tests.SqlServer;

/// <summary>Contexts of the three providers that never connect (for their models and migrations).</summary>
public static class SqlServerModel
{
    public const string NowhereSqlServer = "Server=tcp:127.0.0.1,1;Database=sspf_model;Encrypt=True";

    public static SqlServerSspfDbContext Context() =>
        new(new DbContextOptionsBuilder<SqlServerSspfDbContext>().UseSqlServer(NowhereSqlServer).Options);

    public static IEnumerable<(string Provider, SspfDbContext Db)> AllThree()
    {
        yield return ("Sqlite", new SqliteSspfDbContext(new DbContextOptionsBuilder<SqliteSspfDbContext>().UseSqlite("Data Source=:memory:").Options));
        yield return ("Postgres", new PostgresSspfDbContext(new DbContextOptionsBuilder<PostgresSspfDbContext>().UseNpgsql("Host=localhost").Options));
        yield return ("SqlServer", Context());
    }

    public static IRelationalModel Relational(DbContext db) => db.GetService<IDesignTimeModel>().Model.GetRelationalModel();
}

/// <summary>
/// Issue 21: the SQL Server model is the same model as the other two, its migrations are complete, and its DDL stays
/// within what SQL Server accepts (which no SQL Server here can tell us: checked from the model).
/// </summary>
public sealed class SqlServerModelTests
{
    [Fact]
    public void Model_BuildsForSqlServer_AndItsCreateScriptParses()
    {
        using var db = SqlServerModel.Context();
        Assert.Equal("Microsoft.EntityFrameworkCore.SqlServer", db.Database.ProviderName);
        var script = db.Database.GenerateCreateScript();
        var errors = TSql.Errors(script);
        Assert.True(errors.Count == 0, string.Join("; ", errors));
        Assert.Contains("CREATE TABLE [AccessEvents]", script, StringComparison.Ordinal);
    }

    [Fact]
    public void Model_HasNoChangesMissingFromTheSqlServerMigrations()
    {
        using var db = SqlServerModel.Context();
        Assert.NotEmpty(db.Database.GetMigrations());
        Assert.False(db.Database.HasPendingModelChanges(), "SQL Server: run db/ef.sh SqlServer migrations add <Name>");
    }

    [Fact]
    public void TheThreeProviders_HaveTheSameTablesColumnsKeysIndexesAndForeignKeys()
    {
        var shapes = SqlServerModel.AllThree().Select(p =>
        {
            using var db = p.Db;
            return (p.Provider, Shape: Shape(SqlServerModel.Relational(db)));
        }).ToList();
        var (_, sqlite) = shapes[0];
        Assert.Contains("table AccessEvents", sqlite);
        Assert.Contains(sqlite, s => s.StartsWith("fk ", StringComparison.Ordinal));
        Assert.Contains(sqlite, s => s.StartsWith("unique index ", StringComparison.Ordinal));
        foreach (var (provider, shape) in shapes.Skip(1))
        {
            var missing = sqlite.Except(shape).ToList();
            var extra = shape.Except(sqlite).ToList();
            Assert.True(missing.Count == 0 && extra.Count == 0,
                $"{provider} differs from SQLite. Missing: {string.Join(", ", missing)}. Extra: {string.Join(", ", extra)}");
        }
    }

    [Fact]
    public void TheShapeComparison_SeesADifference()
    {
        using var db = SqlServerModel.Context();
        var shape = Shape(SqlServerModel.Relational(db));
        var table = SqlServerModel.Relational(db).Tables.Single(t => t.Name == "AccessEvents");
        // A shape without one index is told apart (the comparison above is not vacuous).
        var withoutOne = Shape(SqlServerModel.Relational(db)).Where(s => !s.StartsWith($"unique index {table.Name}(", StringComparison.Ordinal)).ToHashSet();
        Assert.NotEqual(shape.Count, withoutOne.Count);
    }

    [Fact]
    public void SqlServerDdl_HasNoMultipleCascadePathsOrCycles()
    {
        // SQL Server refuses a foreign key that gives a row two cascading delete paths from one table, or a cycle
        // ("may cause cycles or multiple cascade paths", error 1785); PostgreSQL and SQLite accept both.
        using var db = SqlServerModel.Context();
        var problems = CascadeProblems(SqlServerModel.Relational(db).Tables
            .SelectMany(t => t.ForeignKeyConstraints)
            .Where(fk => fk.OnDeleteAction is ReferentialAction.Cascade or ReferentialAction.SetNull or ReferentialAction.SetDefault)
            .Select(fk => (fk.PrincipalTable.Name, fk.Table.Name)).ToList());
        Assert.True(problems.Count == 0, string.Join("; ", problems));
    }

    [Fact]
    public void CascadeCheck_FindsTwoPathsAndCycles()
    {
        Assert.NotEmpty(CascadeProblems([("A", "B"), ("A", "C"), ("B", "D"), ("C", "D")]));
        Assert.NotEmpty(CascadeProblems([("A", "B"), ("B", "A")]));
        Assert.NotEmpty(CascadeProblems([("A", "A")]));
        Assert.Empty(CascadeProblems([("A", "B"), ("B", "C"), ("A", "D")]));
    }

    [Fact]
    public void SqlServerDdl_IndexKeysFitSqlServersLimits()
    {
        // No (max) column can be an index key, a clustered key (the primary key) holds at most 900 bytes and a
        // nonclustered one 1700. Over that, with variable-length columns, SQL Server creates the index with a warning and
        // refuses only rows whose values are that long: accepted for ASP.NET Core Identity's own keys of external logins and
        // tokens (its standard SQL Server schema; provider names and keys are short), for nothing of ours.
        using var db = SqlServerModel.Context();
        var problems = new List<string>();
        string[] identityKeysOverTheLimit = ["AspNetUserLogins", "AspNetUserTokens"];
        foreach (var table in SqlServerModel.Relational(db).Tables)
        {
            foreach (var index in table.Indexes)
                Check($"{table.Name}.{index.Name}", index.Columns, 1700);
            if (table.PrimaryKey is { } key) Check($"{table.Name}.{key.Name}", key.Columns, identityKeysOverTheLimit.Contains(table.Name) ? 1816 : 900);
            foreach (var unique in table.UniqueConstraints.Where(u => !u.GetIsPrimaryKey()))
                Check($"{table.Name}.{unique.Name}", unique.Columns, 1700);
        }
        Assert.True(problems.Count == 0, string.Join("; ", problems));

        void Check(string name, IEnumerable<IColumn> columns, int limit)
        {
            var bytes = 0;
            foreach (var column in columns)
            {
                if (KeyBytes(column.StoreType) is not { } size)
                {
                    problems.Add($"{name}: {column.Name} is {column.StoreType}, which cannot be an index key");
                    return;
                }
                bytes += size;
            }
            if (bytes > limit) problems.Add($"{name}: {bytes} bytes, over {limit}");
        }
    }

    /// <summary>Every table, column (with nullability), primary key, unique constraint, index and foreign key, provider-neutral.</summary>
    private static HashSet<string> Shape(IRelationalModel model)
    {
        var shape = new HashSet<string>();
        foreach (var table in model.Tables)
        {
            shape.Add($"table {table.Name}");
            foreach (var column in table.Columns) shape.Add($"column {table.Name}.{column.Name} {(column.IsNullable ? "null" : "not null")}");
            if (table.PrimaryKey is { } key) shape.Add($"primary key {table.Name}({Names(key.Columns)})");
            foreach (var unique in table.UniqueConstraints.Where(u => !u.GetIsPrimaryKey()))
                shape.Add($"unique {table.Name}({Names(unique.Columns)})");
            foreach (var index in table.Indexes)
                shape.Add($"{(index.IsUnique ? "unique index" : "index")} {table.Name}({Names(index.Columns)})");
            foreach (var fk in table.ForeignKeyConstraints)
                shape.Add($"fk {table.Name}({Names(fk.Columns)}) -> {fk.PrincipalTable.Name}({Names(fk.PrincipalColumns)}) on delete {fk.OnDeleteAction}");
        }
        return shape;
    }

    private static string Names(IEnumerable<IColumn> columns) => string.Join(",", columns.Select(c => c.Name));

    /// <summary>Tables reached from one table by two cascading paths, and cascading cycles.</summary>
    private static List<string> CascadeProblems(List<(string Principal, string Dependent)> edges)
    {
        var problems = new List<string>();
        foreach (var start in edges.Select(e => e.Principal).Distinct())
        {
            var paths = new Dictionary<string, int>();
            var stack = new Stack<(string Table, List<string> Path)>([(start, [start])]);
            while (stack.Count > 0)
            {
                var (table, path) = stack.Pop();
                foreach (var (_, dependent) in edges.Where(e => e.Principal == table))
                {
                    if (path.Contains(dependent))
                    {
                        problems.Add($"cycle {string.Join(" -> ", path)} -> {dependent}");
                        continue;
                    }
                    paths[dependent] = paths.GetValueOrDefault(dependent) + 1;
                    if (paths[dependent] == 2) problems.Add($"two cascade paths from {start} to {dependent}");
                    stack.Push((dependent, [.. path, dependent]));
                }
            }
        }
        return problems.Distinct().ToList();
    }

    /// <summary>The bytes a value of <paramref name="storeType"/> takes in an index key at most; null when it cannot be a key.</summary>
    private static int? KeyBytes(string storeType)
    {
        var match = Regex.Match(storeType, @"^(\w+)(?:\((max|\d+)(?:,\s*\d+)?\))?$");
        var (type, length) = (match.Groups[1].Value, match.Groups[2].Value);
        if (length == "max") return null;
        int Length(int otherwise) => length.Length > 0 ? int.Parse(length, System.Globalization.CultureInfo.InvariantCulture) : otherwise;
        return type switch
        {
            "nvarchar" or "nchar" => 2 * Length(1),
            "varchar" or "char" or "varbinary" or "binary" => Length(1),
            "uniqueidentifier" => 16,
            "bigint" or "datetime2" or "datetime" or "float" => 8,
            "int" or "real" => 4,
            "smallint" => 2,
            "tinyint" or "bit" => 1,
            "datetimeoffset" => 10,
            "date" => 3,
            "time" => 5,
            "decimal" or "numeric" => 17,
            _ => null,
        };
    }
}

/// <summary>
/// Collations (db/README.md, "Collations"): on SQL Server every string the application finds rows by compares code point
/// by code point, as on PostgreSQL and SQLite — not case- or accent-insensitively, as SQL Server's usual default would.
/// </summary>
public sealed class SqlServerCollationTests
{
    /// <summary>The lookups issue 21 names: case numbers, the personnummer's blind index, e-mail, HSA-id — and a token hash.</summary>
    [Theory]
    [InlineData("Case", "CaseNumber")]
    [InlineData("Case", "YouthPersonnummerIndex")]
    [InlineData("AppUser", "HsaId")]
    [InlineData("AppUser", "EmployeeNumber")]
    [InlineData("AppUser", "NormalizedEmail")]
    [InlineData("AppUser", "NormalizedUserName")]
    public void LookupColumns_CompareExactly_OnSqlServerOnly(string entity, string property)
    {
        foreach (var (provider, db) in SqlServerModel.AllThree())
            using (db)
            {
                var collation = Property(db, entity, property).GetCollation();
                // SQLite and PostgreSQL already compare exactly; only SQL Server is told.
                Assert.Equal(provider == "SqlServer" ? SqlServerSspfDbContext.ExactCollation : null, collation);
            }
    }

    [Fact]
    public void EveryIndexedOrKeyString_ComparesExactly_AndNoForeignKeyEndsDiffer()
    {
        using var db = SqlServerModel.Context();
        var tables = SqlServerModel.Relational(db).Tables.ToList();
        var checkedColumns = 0;
        foreach (var table in tables)
        {
            var foreignKeyColumns = table.ForeignKeyConstraints.SelectMany(f => f.Columns.Concat(f.PrincipalColumns))
                .Concat(table.ReferencingForeignKeyConstraints.SelectMany(f => f.PrincipalColumns)).ToHashSet();
            var lookedUp = table.Indexes.SelectMany(i => i.Columns).Concat(table.PrimaryKey?.Columns ?? [])
                .Where(c => c.StoreType.Contains("char", StringComparison.OrdinalIgnoreCase) && !foreignKeyColumns.Contains(c)).Distinct();
            foreach (var column in lookedUp)
            {
                Assert.True(column.Collation == SqlServerSspfDbContext.ExactCollation, $"{table.Name}.{column.Name}: {column.Collation ?? "the database's default"}");
                checkedColumns++;
            }
            // SQL Server refuses a foreign key whose two ends differ in collation.
            foreach (var fk in table.ForeignKeyConstraints)
                Assert.Equal(fk.PrincipalColumns.Select(c => c.Collation), fk.Columns.Select(c => c.Collation));
        }
        Assert.True(checkedColumns >= 15, $"only {checkedColumns} columns");
    }

    [Fact]
    public void FreeText_KeepsTheDatabasesCollation()
    {
        // Names and free text are encrypted or shown, never looked up: they sort as the database's collation says
        // (db/README.md recommends a Swedish one), and changing them would rewrite every table for nothing.
        using var db = SqlServerModel.Context();
        Assert.Null(Property(db, "AppUser", "DisplayName").GetCollation());
        Assert.Null(Property(db, "Case", "CloseComment").GetCollation());
    }

    [Fact]
    public void TheMigrationScript_SetsTheCollation()
    {
        var script = TSql.RepositoryFile("db", "migrations-sqlserver.sql");
        foreach (var column in new[] { "CaseNumber", "YouthPersonnummerIndex", "HsaId", "NormalizedEmail", "TokenHash" })
            Assert.Matches($@"ALTER COLUMN \[{column}\] nvarchar\(\d+\) COLLATE {SqlServerSspfDbContext.ExactCollation}", script);

        // SQL Server refuses to alter a column a key depends on: each primary key over a re-collated column is dropped and
        // made again around the change (EF does that only for indexes).
        using var db = SqlServerModel.Context();
        var keys = SqlServerModel.Relational(db).Tables.Select(t => (t.Name, Key: t.PrimaryKey))
            .Where(t => t.Key is not null && t.Key.Columns.Any(c => c.Collation == SqlServerSspfDbContext.ExactCollation)).ToList();
        Assert.NotEmpty(keys);
        foreach (var (table, key) in keys)
        {
            Assert.Contains($"ALTER TABLE [{table}] DROP CONSTRAINT [{key!.Name}];", script, StringComparison.Ordinal);
            Assert.Contains($"ALTER TABLE [{table}] ADD CONSTRAINT [{key.Name}] PRIMARY KEY", script, StringComparison.Ordinal);
        }
    }

    private static IReadOnlyProperty Property(DbContext db, string entity, string property) =>
        db.GetService<IDesignTimeModel>().Model.GetEntityTypes().Single(e => e.ClrType.Name == entity && !e.IsOwned()).FindProperty(property)
        ?? throw new InvalidOperationException($"{entity}.{property}");
}
