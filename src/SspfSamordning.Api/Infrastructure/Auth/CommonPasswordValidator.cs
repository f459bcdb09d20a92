using System.Collections.Frozen;
using System.IO.Compression;
using System.Text;
using Microsoft.AspNetCore.Identity;

namespace SspfSamordning.Api.Infrastructure.Auth;

/// <summary>
/// Refuses common and breached passwords (ASVS 5.0 V6.2.4, V6.2.12): the password, compared without regard to case and
/// after Unicode NFKC normalisation, is refused when it is on the shipped list, or when what lies between its first and
/// its last letter is (so <c>Password2026!</c> and <c>2024qwertyuiop!!</c> are refused as <c>password</c> and
/// <c>qwertyuiop</c>). The list is the embedded resource <c>common-passwords.txt.gz</c>: the 30,000 most common passwords of
/// leaked password dumps as packaged in zxcvbn 4.4.2 (MIT), plus a few Swedish words (SECURITY.md, "Passwords").
/// No character-class rules: length (at least 12) and this list decide.
/// </summary>
public sealed class CommonPasswordValidator : IPasswordValidator<AppUser>
{
    public const string ResourceName = "SspfSamordning.Api.common-passwords.txt.gz";

    private static readonly Lazy<FrozenSet<string>> List = new(Load);

    public static int Count => List.Value.Count;

    public Task<IdentityResult> ValidateAsync(UserManager<AppUser> manager, AppUser user, string? password) =>
        Task.FromResult(password is not null && IsCommon(password)
            ? IdentityResult.Failed(new IdentityError
            {
                Code = "PasswordTooCommon",
                Description = "Lösenordet är för vanligt eller finns i listor över läckta lösenord. Välj ett annat, gärna en fras av flera ord.",
            })
            : IdentityResult.Success);

    public static bool IsCommon(string password)
    {
        var normal = password.Normalize(NormalizationForm.FormKC).ToLowerInvariant();
        if (List.Value.Contains(normal)) return true;
        // Without the digits and symbols people put before and after a word.
        int first = -1, last = -1;
        for (var i = 0; i < normal.Length; i++)
            if (char.IsLetter(normal[i])) (first, last) = (first < 0 ? i : first, i);
        if (first < 0) return false;
        var core = normal[first..(last + 1)];
        return core.Length != normal.Length && List.Value.Contains(core);
    }

    private static FrozenSet<string> Load()
    {
        using var resource = typeof(CommonPasswordValidator).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded password list {ResourceName} is missing.");
        using var reader = new StreamReader(new GZipStream(resource, CompressionMode.Decompress), Encoding.UTF8);
        var words = new List<string>();
        while (reader.ReadLine() is { } line)
            if (line.Length > 0 && !line.StartsWith('#')) words.Add(line);
        return words.ToFrozenSet(StringComparer.Ordinal);
    }
}
