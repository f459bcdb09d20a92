using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace SspfSamordning.Api.Features.Bench;

/// <summary>
/// Benchmark build only (<c>-p:SspfBench=true</c>; bench/load.sh --phases): where the time of an API request goes, phase
/// by phase. A middleware at the start of the pipeline starts a timer per request; marks along the way (an endpoint
/// filter inside the access log's filter, <see cref="Mark"/> calls in the read path compiled under <c>#if BENCH</c>, the
/// response's start) close one phase each; EF Core's diagnostic events count the SQL commands and their time (sent →
/// first answer) within each phase. GET /bench/phases returns the mean per request and phase over the requests since
/// DELETE /bench/phases, per route. Measured with one client, wall time per phase minus its database time is the
/// API's own work in it (CPU, plus thread-pool scheduling).
/// </summary>
public static class ReadPhases
{
    private sealed class Timer
    {
        public readonly long Start = Stopwatch.GetTimestamp();
        public long Last;
        public int Commands;
        public double CommandMs;
        public readonly List<(string Phase, double Ms, int Commands, double CommandMs)> Phases = [];
        public Timer() => Last = Start;
    }

    private sealed class Totals
    {
        public long Requests;
        public double TotalMs;
        public readonly ConcurrentDictionary<string, double[]> Phases = new(); // ms, commands, command ms, order
    }

    private static readonly AsyncLocal<Timer?> Current = new();
    private static readonly ConcurrentDictionary<string, Totals> ByRoute = new();
    private static int subscribed;

    /// <summary>Closes the current phase under <paramref name="phase"/> (no-op outside a profiled request).</summary>
    public static void Mark(string phase)
    {
        if (Current.Value is not { } t) return;
        var now = Stopwatch.GetTimestamp();
        lock (t)
        {
            t.Phases.Add((phase, Stopwatch.GetElapsedTime(t.Last, now).TotalMilliseconds, t.Commands, t.CommandMs));
            t.Last = now;
            t.Commands = 0;
            t.CommandMs = 0;
        }
    }

    /// <summary>
    /// Whether this process profiles its requests: only when bench/load.sh --phases starts it (<c>Bench:Phases</c>). The
    /// other runs measure what production runs: the marks' middleware and filter, and above all EF Core's diagnostic
    /// events — with a listener subscribed EF builds an event-data object for every command, connection, transaction,
    /// tracking and save event — cost CPU on every request that production does not pay (and the baselines never did).
    /// </summary>
    public static bool Enabled { get; private set; }

    public static void Use(WebApplication app)
    {
        if (!app.Configuration.GetValue<bool>("Bench:Phases")) return;
        Enabled = true;
        if (Interlocked.Exchange(ref subscribed, 1) == 0) DiagnosticListener.AllListeners.Subscribe(new ListenerObserver());
        app.Use(async (http, next) =>
        {
            if (http.Request.Path.StartsWithSegments("/bench")) { await next(); return; }
            var timer = new Timer();
            Current.Value = timer;
            http.Response.OnStarting(() => { Mark("access log append, rest of the filters"); return Task.CompletedTask; });
            await next();
            Mark("JSON serialization and writing");
            var endpoint = (http.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "(no endpoint)";
            var totals = ByRoute.GetOrAdd($"{http.Request.Method} {endpoint} {http.Response.StatusCode}", _ => new Totals());
            Interlocked.Increment(ref totals.Requests);
            lock (totals)
            {
                totals.TotalMs += Stopwatch.GetElapsedTime(timer.Start).TotalMilliseconds;
                for (var i = 0; i < timer.Phases.Count; i++)
                {
                    var (phase, ms, commands, commandMs) = timer.Phases[i];
                    var sums = totals.Phases.GetOrAdd(phase, _ => [0, 0, 0, i]);
                    sums[0] += ms;
                    sums[1] += commands;
                    sums[2] += commandMs;
                }
            }
        });
    }

    /// <summary>Inside the access log's filter: the phase before it is everything up to the handler (authentication included).</summary>
    public static async ValueTask<object?> Filter(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        Mark("authentication, session, authorization, routing");
        var result = await next(context);
        Mark("rest of the handler (categories, mapping to the answer)");
        return result;
    }

    public static void Map(WebApplication app)
    {
        app.MapGet("/bench/phases", () => Results.Ok(ByRoute.OrderBy(r => r.Key).Select(r =>
        {
            var n = Math.Max(1, r.Value.Requests);
            return new
            {
                route = r.Key,
                requests = r.Value.Requests,
                meanMs = r.Value.TotalMs / n,
                phases = r.Value.Phases.OrderBy(p => p.Value[3]).Select(p => new
                {
                    phase = p.Key, meanMs = p.Value[0] / n, sqlCommands = p.Value[1] / n, sqlMs = p.Value[2] / n,
                }),
            };
        }))).AllowAnonymous();
        app.MapDelete("/bench/phases", () => { ByRoute.Clear(); return Results.NoContent(); }).AllowAnonymous();
    }

    private sealed class ListenerObserver : IObserver<DiagnosticListener>
    {
        public void OnNext(DiagnosticListener listener)
        {
            if (listener.Name == DbLoggerCategory.Name) listener.Subscribe(new CommandObserver());
        }
        public void OnCompleted() { }
        public void OnError(Exception error) { }
    }

    private sealed class CommandObserver : IObserver<KeyValuePair<string, object?>>
    {
        public void OnNext(KeyValuePair<string, object?> e)
        {
            if (e.Key != RelationalEventId.CommandExecuted.Name || e.Value is not CommandExecutedEventData executed) return;
            if (Current.Value is not { } t) return;
            lock (t)
            {
                t.Commands++;
                t.CommandMs += executed.Duration.TotalMilliseconds;
            }
        }
        public void OnCompleted() { }
        public void OnError(Exception error) { }
    }
}
