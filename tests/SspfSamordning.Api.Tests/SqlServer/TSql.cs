using System.Text.RegularExpressions;
using Microsoft.SqlServer.TransactSql.ScriptDom;

namespace SspfSamordning.Api.Tests.SqlServer;

/// <summary>Microsoft's own T-SQL parser (ScriptDom, SQL Server 2022 grammar), and the repository's SQL Server files.</summary>
public static partial class TSql
{
    /// <summary>The parse errors of <paramref name="sql"/> (GO lines separate batches, as sqlcmd reads them), each with its line.</summary>
    public static List<string> Errors(string sql, out TSqlFragment fragment)
    {
        var parser = new TSql160Parser(initialQuotedIdentifiers: true);
        using var reader = new StringReader(sql);
        fragment = parser.Parse(reader, out var errors);
        return errors.Select(e => $"line {e.Line}, column {e.Column}: {e.Message}").ToList();
    }

    public static List<string> Errors(string sql) => Errors(sql, out _);

    /// <summary>
    /// A command of <see cref="Infrastructure.Persistence.SqlDialect"/> as SQL Server receives it: EF turns each
    /// positional placeholder {n} into the parameter @pn.
    /// </summary>
    public static string AsSent(string command) => Placeholder().Replace(command, m => "@p" + m.Groups[1].Value);

    [GeneratedRegex(@"\{(\d+)\}")]
    private static partial Regex Placeholder();

    public static string RepositoryFile(params string[] path) => File.ReadAllText(Path.Combine([RepositoryRoot(), .. path]));

    public static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "SspfSamordning.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Repository root not found.");
    }

    /// <summary>Every fragment of type <typeparamref name="T"/> in <paramref name="root"/>.</summary>
    public static List<T> All<T>(TSqlFragment root) where T : TSqlFragment
    {
        var visitor = new Collector<T>();
        root.Accept(visitor);
        return visitor.Found;
    }

    private sealed class Collector<T> : TSqlFragmentVisitor where T : TSqlFragment
    {
        public List<T> Found { get; } = [];

        public override void Visit(TSqlFragment fragment)
        {
            if (fragment is T t) Found.Add(t);
        }
    }

    /// <summary>The text of a fragment as written in the script.</summary>
    public static string Text(TSqlFragment fragment) =>
        string.Concat(Enumerable.Range(fragment.FirstTokenIndex, fragment.LastTokenIndex - fragment.FirstTokenIndex + 1)
            .Select(i => fragment.ScriptTokenStream[i].Text));
}
