namespace SspfSamordning.Api.Infrastructure.Encryption;

/// <summary>The app's data folder (<c>Database:DataDirectory</c>, default <c>data</c> under the content root), where
/// Development keeps the generated master key and blind index key. Never committed (.gitignore).</summary>
internal static class DataDirectory
{
    /// <summary>The folder's full path, without creating it.</summary>
    public static string PathOf(IConfiguration configuration, IHostEnvironment environment) =>
        Path.GetFullPath(configuration["Database:DataDirectory"] ?? "data", environment.ContentRootPath);

    public static string Resolve(IConfiguration configuration, IHostEnvironment environment)
    {
        var directory = PathOf(configuration, environment);
        Directory.CreateDirectory(directory);
        return directory;
    }

    /// <summary>Returns the file's content, creating it first with <paramref name="create"/> (owner-only permissions) if it does not exist.
    /// Two processes racing both read the one file that won.</summary>
    public static byte[] ReadOrCreateSecret(string path, Func<byte[]> create)
    {
        if (!File.Exists(path))
        {
            var content = create();
            try
            {
                var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
                if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
                using var file = new FileStream(path, options);
                file.Write(content);
                return content;
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another process created it first: use theirs.
            }
        }
        return File.ReadAllBytes(path);
    }
}
