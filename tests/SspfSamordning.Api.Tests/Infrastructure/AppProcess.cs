using System.Diagnostics;

namespace SspfSamordning.Api.Tests.Infrastructure;

/// <summary>The app started as its own process, the way an operator starts it, with the given environment and arguments.</summary>
public static class AppProcess
{
    /// <summary>Runs the app until it exits (failing the test if it still runs after <paramref name="timeoutSeconds"/>).</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(
        IReadOnlyDictionary<string, string> environment, string[] args, int timeoutSeconds = 90)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { typeof(Program).Assembly.Location },
            WorkingDirectory = Path.GetDirectoryName(typeof(Program).Assembly.Location)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        foreach (var (key, value) in environment) start.Environment[key] = value;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(timeoutSeconds));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"The app kept running. Output: {await stdout} {await stderr}");
        }
        return (process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Exited non-zero with exactly one line on standard error that contains every one of <paramref name="expected"/>, and no stack trace anywhere.</summary>
    public static string AssertStoppedWithOneLine((int ExitCode, string Stdout, string Stderr) run, params string[] expected)
    {
        Assert.NotEqual(0, run.ExitCode);
        var line = Assert.Single(run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        foreach (var part in expected) Assert.Contains(part, line);
        Assert.DoesNotContain("   at ", run.Stdout + run.Stderr);
        return line;
    }
}
