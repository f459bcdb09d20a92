namespace SspfSamordning.Api.Infrastructure.Auth;

/// <summary>Bound from the <c>Auth</c> configuration section.</summary>
public sealed class AuthOptions
{
    /// <summary>The longest absolute session lifetime an operator may configure.</summary>
    public static readonly TimeSpan MaxSessionLifetime = TimeSpan.FromDays(14);

    public int AccessTokenMinutes { get; set; } = 10;
    public int RefreshTokenDays { get; set; } = 14;
    /// <summary>
    /// Absolute lifetime of a sign-in session, however often it is refreshed: after it the person signs in again.
    /// Default one working day; at most <see cref="MaxSessionLifetime"/>.
    /// </summary>
    public double SessionLifetimeHours { get; set; } = 8;
    public int MaxFailedAccessAttempts { get; set; } = 5;
    public int LockoutMinutes { get; set; } = 15;
    /// <summary>Lets a password alone reach case data. Development only: the app refuses to start with it elsewhere.</summary>
    public bool RelaxTwoFactor { get; set; }

    public TimeSpan SessionLifetime => TimeSpan.FromHours(SessionLifetimeHours);

    /// <summary>Refuses settings that would weaken sign-in (start-up fails with the setting named).</summary>
    public void Validate()
    {
        if (SessionLifetime <= TimeSpan.Zero || SessionLifetime > MaxSessionLifetime)
            throw new InvalidOperationException(
                $"Auth:SessionLifetimeHours is {SessionLifetimeHours}; it must be above 0 and at most {MaxSessionLifetime.TotalHours} (14 days).");
        if (AccessTokenMinutes is < 1 or > 60)
            throw new InvalidOperationException($"Auth:AccessTokenMinutes is {AccessTokenMinutes}; it must be between 1 and 60.");
    }
}
