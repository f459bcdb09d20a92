namespace SspfSamordning.Api.Tests.Infrastructure;

/// <summary>A clock the tests move by hand: deadlines, token expiry and TOTP steps follow it.</summary>
public sealed class TestClock(DateTimeOffset start) : TimeProvider
{
    private readonly Lock gate = new();
    private DateTimeOffset now = start;

    public override DateTimeOffset GetUtcNow() { lock (gate) return now; }

    public void Advance(TimeSpan by) { lock (gate) now += by; }

    public void Set(DateTimeOffset to) { lock (gate) now = to; }
}
