using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace SspfSamordning.Api.Infrastructure.Http;

/// <summary>
/// Recognises a database failure that will pass by itself — the server is down, restarting, out of connections or of
/// disk, the SQLite file is locked or cannot be written — so that the request is answered 503 with <c>Retry-After</c>
/// instead of an unexplained 500, and logs such an outage once rather than once per request.
/// </summary>
public sealed class DatabaseOutage(TimeProvider time, ILogger<DatabaseOutage> logger)
{
    /// <summary>The problem type of the 503 answer (RFC 9457 <c>type</c>).</summary>
    public const string ProblemType = "urn:sspf:problem:database-unavailable";

    /// <summary>Seconds a client is asked to wait before trying again.</summary>
    public const int RetryAfterSeconds = 5;

    /// <summary>Failures this close to the previous one belong to the same outage and are not logged again.</summary>
    public static readonly TimeSpan QuietPeriod = TimeSpan.FromSeconds(60);

    private readonly Lock gate = new();
    private DateTimeOffset? lastFailure;
    private long failuresInOutage;

    /// <summary>True when <paramref name="exception"/> (or one it wraps) is a transient database failure.</summary>
    public static bool IsTransient(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case PostgresException pg when IsTransientSqlState(pg.SqlState):
                    return true;
                case PostgresException:
                    return false;
                case NpgsqlException npgsql when npgsql.IsTransient:
                    return true;
                case Microsoft.Data.SqlClient.SqlException sqlServer:
                    return sqlServer.Errors.Cast<Microsoft.Data.SqlClient.SqlError>().Any(error => IsTransientSqlServerError(error.Number));
                // BUSY, LOCKED, READONLY, IOERR, FULL, CANTOPEN: the file is held, unwritable or its disk full.
                case SqliteException sqlite when sqlite.SqliteErrorCode is 5 or 6 or 8 or 10 or 13 or 14:
                    return true;
                case DbException:
                    return false;
            }
        }
        return false;
    }

    /// <summary>Class 08 connection exception, 53 insufficient resources (disk full, out of memory, too many connections),
    /// 57P01–57P03 shutdown and "cannot connect now", 40001/40P01 serialization failure and deadlock.</summary>
    private static bool IsTransientSqlState(string sqlState) =>
        sqlState.StartsWith("08", StringComparison.Ordinal) || sqlState.StartsWith("53", StringComparison.Ordinal)
        || sqlState is "57P01" or "57P02" or "57P03" or "40001" or "40P01";

    /// <summary>SQL Server error numbers that pass by themselves: -2 timeout; 20, 26, 35, 40, 53, 64, 233, 258, 10053, 10054,
    /// 10060, 10061, 11001 no connection or a broken one; 1205 deadlock victim, 1222 lock timeout, 3960 snapshot conflict;
    /// 1105 and 9002 data or log full; 924 the database is in single-user mode (an administrator's maintenance, over when
    /// it is done); 40197, 40501, 40613, 49918–49920, 10928, 10929 Azure SQL reconfiguring or throttling. Not 4060 or
    /// 18456: a wrong database or login stays wrong.</summary>
    private static bool IsTransientSqlServerError(int number) => number is
        -2 or 20 or 26 or 35 or 40 or 53 or 64 or 233 or 258 or 924 or 1205 or 1222 or 1105 or 9002 or 3960 or 10053 or 10054 or 10060 or 10061
        or 11001 or 40197 or 40501 or 40613 or 49918 or 49919 or 49920 or 10928 or 10929;

    /// <summary>Records one failed request: the first of an outage is logged as an error with its cause, the rest only counted.</summary>
    public void Report(Exception exception, HttpContext http)
    {
        var now = time.GetUtcNow();
        bool first;
        long count;
        lock (gate)
        {
            first = lastFailure is not { } last || now - last > QuietPeriod;
            failuresInOutage = first ? 1 : failuresInOutage + 1;
            count = failuresInOutage;
            lastFailure = now;
        }
        if (first)
            logger.LogError("Database unavailable ({Cause}: {Message}); requests are answered 503 until it recovers. First failed request: {Method} {Path}",
                Cause(exception).GetType().Name, Cause(exception).Message, http.Request.Method, http.Request.Path);
        else
            logger.LogDebug("Database still unavailable: {Count} requests answered 503 in this outage.", count);
    }

    /// <summary>The database answered again (readiness check): the next failure starts a new outage, and is logged.</summary>
    public void Recovered()
    {
        long count;
        lock (gate)
        {
            if (lastFailure is null) return;
            count = failuresInOutage;
            lastFailure = null;
            failuresInOutage = 0;
        }
        logger.LogWarning("Database available again after {Count} requests were answered 503.", count);
    }

    private static Exception Cause(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
            if (e is DbException) return e;
        return exception;
    }
}
