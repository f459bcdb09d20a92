using Microsoft.Extensions.Configuration.Json;
using SspfSamordning.Api.Infrastructure.Encryption;

namespace SspfSamordning.Api.Infrastructure.Http;

/// <summary>
/// Says at start which configuration files were read and which data folder is used. Started from another folder
/// than its own, the app finds no appsettings*.json under its content root and silently runs on defaults (in
/// Development without the relaxed second factor); this line, and the warning, say why.
/// </summary>
internal static class StartupReport
{
    public static void Log(WebApplication app)
    {
        var files = ((IConfigurationRoot)app.Configuration).Providers.OfType<JsonConfigurationProvider>()
            .Select(p => p.Source.FileProvider?.GetFileInfo(p.Source.Path ?? "") is { } file
                ? (Path: file.PhysicalPath ?? p.Source.Path ?? "", file.Exists)
                : (Path: p.Source.Path ?? "", Exists: false))
            .ToList();
        app.Logger.LogInformation(
            "Environment {Environment}, content root {ContentRoot}. Configuration files read: {Loaded}; not found: {Missing}. Data folder: {DataDirectory}. Database provider: {Provider}.",
            app.Environment.EnvironmentName, app.Environment.ContentRootPath,
            string.Join(", ", files.Where(f => f.Exists).Select(f => f.Path)), string.Join(", ", files.Where(f => !f.Exists).Select(f => f.Path)),
            DataDirectory.PathOf(app.Configuration, app.Environment), app.Configuration["Database:Provider"] ?? "Sqlite");
        if (!files.Any(f => f.Exists && System.IO.Path.GetFileName(f.Path) == "appsettings.json"))
            app.Logger.LogWarning(
                "No appsettings.json under the content root {ContentRoot}: the app runs on defaults. Start it from its own folder or pass --contentRoot <folder of the app>.",
                app.Environment.ContentRootPath);
    }
}
