namespace SspfSamordning.Api.Infrastructure.Auth;

/// <summary>The roles of the system, named as the people who hold them say them.</summary>
public static class Roles
{
    public const string Samordnare = "Samordnare";
    public const string Socialsekreterare = "Socialsekreterare";
    public const string Polis = "Polis";
    public const string Skola = "Skola";
    public const string Fritid = "Fritid";
    public const string Granskare = "Granskare";
    public const string Administrator = "Administratör";
    public const string Analytiker = "Analytiker";

    public static readonly IReadOnlyList<string> All =
        [Samordnare, Socialsekreterare, Polis, Skola, Fritid, Granskare, Administrator, Analytiker];
}
