using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace SspfSamordning.Api.Tests.Infrastructure;

/// <summary>Keeps every log line the app writes during a test run: for diagnosing 500s and for proving what logs never contain.</summary>
public sealed class CapturedLogs : ILoggerProvider
{
    /// <summary>Errors of every factory in this process, newest last, to show beside a failed assertion.</summary>
    public static readonly ConcurrentQueue<string> RecentErrors = new();

    public ConcurrentQueue<string> Lines { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(CapturedLogs owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var line = $"{logLevel} {category}: {formatter(state, exception)}{(exception is null ? "" : Environment.NewLine + exception)}";
            owner.Lines.Enqueue(line);
            if (logLevel < LogLevel.Error) return;
            RecentErrors.Enqueue(line);
            while (RecentErrors.Count > 5) RecentErrors.TryDequeue(out _);
        }
    }
}
