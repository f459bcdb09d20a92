using SspfSamordning.Api.Features.Workflows;

namespace SspfSamordning.Api.Tests.Workflows;

/// <summary>Docs as code: docs/workflows.md is generated from the transition tables and must not drift from them.</summary>
public sealed class WorkflowDocsTests
{
    [Fact]
    public void WorkflowDocs_MatchTheTransitionTables()
    {
        var path = Path.Combine(RepositoryRoot(), WorkflowDocs.RelativePath);
        var expected = WorkflowDocs.Render();
        if (Environment.GetEnvironmentVariable("SSPF_UPDATE_DOCS") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, expected);
        }
        var actual = File.Exists(path) ? File.ReadAllText(path).ReplaceLineEndings("\n") : "";
        Assert.True(actual == expected,
            $"{WorkflowDocs.RelativePath} differs from the workflows' transition tables. Regenerate it with:\n" +
            "  SSPF_UPDATE_DOCS=1 dotnet test tests/SspfSamordning.Api.Tests --filter FullyQualifiedName~WorkflowDocs\nand commit the result.");
    }

    [Fact]
    public void WorkflowDocs_HaveADiagramAndATableRowPerTransition()
    {
        var text = WorkflowDocs.Render();
        foreach (var workflow in Domain.Workflows.Workflows.All)
        {
            Assert.Contains($"## {workflow.Name}\n", text, StringComparison.Ordinal);
            Assert.Contains("```mermaid\n" + workflow.Mermaid + "```\n", text, StringComparison.Ordinal);
            foreach (var t in workflow.Transitions)
                Assert.Contains($"| {t.From} | {t.Trigger} | {t.To} |", text, StringComparison.Ordinal);
        }
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "SspfSamordning.sln"))) return dir.FullName;
        throw new InvalidOperationException($"SspfSamordning.sln not found above {AppContext.BaseDirectory}.");
    }
}
