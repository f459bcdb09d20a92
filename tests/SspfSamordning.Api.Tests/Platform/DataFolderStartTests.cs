using SspfSamordning.Api.Tests.Infrastructure;

namespace SspfSamordning.Api.Tests.Platform;

/// <summary>
/// Issue 23 item 20: the app started (as its own process, the way an operator starts it) with a data folder it cannot
/// use stops with one line naming the folder and the cause, a non-zero exit code and no stack trace.
/// </summary>
public sealed class DataFolderStartTests
{
    [Fact]
    public async Task MissingDataFolderThatCannotBeCreated_ExitsNonZeroWithOneLineNamingIt()
    {
        var file = Path.GetTempFileName(); // a file where the folder's parent should be: nothing can be created below it
        try
        {
            var folder = Path.Combine(file, "data");
            await AssertStopsWithOneLineAsync(folder, "cannot be used");
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task DatabaseFileThatCannotBeOpened_ExitsNonZeroWithOneLineNamingTheFolder()
    {
        var folder = Directory.CreateTempSubdirectory("sspf-start-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(folder, "sspf.db")); // SQLite cannot open a directory as its database
            await AssertStopsWithOneLineAsync(folder, "SqliteException");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>The app, started with <paramref name="folder"/>, exits non-zero with one line naming it and the cause, and no stack trace.</summary>
    private static async Task AssertStopsWithOneLineAsync(string folder, string cause) =>
        AppProcess.AssertStoppedWithOneLine(await AppProcess.RunAsync(new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["ASPNETCORE_URLS"] = "http://127.0.0.1:0",
            ["Database__Provider"] = "Sqlite",
            ["ConnectionStrings__Sspf"] = "",
            ["Database__DataDirectory"] = folder,
            ["Scheduler__Enabled"] = "false",
        }, []), folder, cause);
}
