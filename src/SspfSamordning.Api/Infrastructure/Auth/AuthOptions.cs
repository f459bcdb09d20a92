namespace SspfSamordning.Api.Infrastructure.Auth;

/// <summary>Bound from the <c>Auth</c> configuration section.</summary>
public sealed class AuthOptions
{
    public int AccessTokenMinutes { get; set; } = 10;
    public int RefreshTokenDays { get; set; } = 14;
    public int MaxFailedAccessAttempts { get; set; } = 5;
    public int LockoutMinutes { get; set; } = 15;
    /// <summary>Lets a password alone reach case data. Development only: the app refuses to start with it elsewhere.</summary>
    public bool RelaxTwoFactor { get; set; }
}
