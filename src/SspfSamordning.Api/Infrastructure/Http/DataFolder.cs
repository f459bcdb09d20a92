namespace SspfSamordning.Api.Infrastructure.Http;

/// <summary>
/// The data folder (<c>Database:DataDirectory</c>) holds the SQLite database and, in Development, the generated master
/// key and blind-index key. A missing folder that cannot be created, or one that cannot be written, stops the app at
/// start with one line naming the folder and the cause — not with an exception and its stack trace from deep inside
/// SQLite or Data Protection.
/// </summary>
public static class DataFolder
{
    public static string Path(IConfiguration configuration, IHostEnvironment environment) =>
        System.IO.Path.GetFullPath(configuration["Database:DataDirectory"] ?? "data", environment.ContentRootPath);

    /// <summary>Whether this configuration uses the folder: SQLite without its own connection string, or Development.</summary>
    public static bool InUse(IConfiguration configuration, IHostEnvironment environment) =>
        environment.IsDevelopment()
        || (string.Equals(configuration["Database:Provider"] ?? "Sqlite", "Sqlite", StringComparison.OrdinalIgnoreCase)
            && string.IsNullOrWhiteSpace(configuration.GetConnectionString("Sspf")));

    /// <summary>The line to print and exit with when the folder cannot be used, or null when it can.</summary>
    public static string? Problem(IConfiguration configuration, IHostEnvironment environment)
    {
        if (!InUse(configuration, environment)) return null;
        var folder = Path(configuration, environment);
        try
        {
            Directory.CreateDirectory(folder);
            var probe = System.IO.Path.Combine(folder, ".sspf-start-probe");
            File.WriteAllBytes(probe, [0]);
            File.Delete(probe);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            return Describe(folder, e);
        }
    }

    /// <summary>One line: the folder and the cause (the exception's type and message, never a stack trace).</summary>
    public static string Describe(string folder, Exception cause) =>
        $"Cannot start: the data folder '{folder}' cannot be used ({cause.GetType().Name}: {cause.Message.ReplaceLineEndings(" ")}). "
        + "Create it, make it writable for the app, or set Database:DataDirectory.";
}
