using Microsoft.AspNetCore.Identity;

namespace SspfSamordning.Api.Infrastructure.Auth;

/// <summary>Identity's messages reach people (password rules, duplicate accounts): in Swedish.</summary>
public sealed class SwedishIdentityErrors : IdentityErrorDescriber
{
    public override IdentityError PasswordTooShort(int length) => new() { Code = nameof(PasswordTooShort), Description = $"Lösenordet måste ha minst {length} tecken." };
    public override IdentityError PasswordRequiresDigit() => new() { Code = nameof(PasswordRequiresDigit), Description = "Lösenordet måste innehålla en siffra." };
    public override IdentityError PasswordRequiresLower() => new() { Code = nameof(PasswordRequiresLower), Description = "Lösenordet måste innehålla en liten bokstav." };
    public override IdentityError PasswordRequiresUpper() => new() { Code = nameof(PasswordRequiresUpper), Description = "Lösenordet måste innehålla en stor bokstav." };
    public override IdentityError PasswordRequiresNonAlphanumeric() => new() { Code = nameof(PasswordRequiresNonAlphanumeric), Description = "Lösenordet måste innehålla ett specialtecken." };
    public override IdentityError PasswordRequiresUniqueChars(int uniqueChars) => new() { Code = nameof(PasswordRequiresUniqueChars), Description = $"Lösenordet måste ha minst {uniqueChars} olika tecken." };
    public override IdentityError PasswordMismatch() => new() { Code = nameof(PasswordMismatch), Description = "Fel lösenord." };
    public override IdentityError DuplicateEmail(string email) => new() { Code = nameof(DuplicateEmail), Description = "E-postadressen används redan." };
    public override IdentityError DuplicateUserName(string userName) => new() { Code = nameof(DuplicateUserName), Description = "Användarnamnet används redan." };
    public override IdentityError InvalidEmail(string? email) => new() { Code = nameof(InvalidEmail), Description = "Ogiltig e-postadress." };
    // The user name is the e-mail address: Identity's default allows a–z, A–Z, digits and -._@+ only.
    public override IdentityError InvalidUserName(string? userName) => new()
    {
        Code = nameof(InvalidUserName),
        Description = "E-postadressen får bara innehålla a–z, A–Z, siffror och tecknen - . _ @ + (inte å, ä eller ö).",
    };

    /// <summary>The codes of the errors about the account's name (its e-mail address), as opposed to its password.</summary>
    public static readonly IReadOnlySet<string> AccountNameCodes = new HashSet<string>
    {
        nameof(InvalidUserName), nameof(DuplicateUserName), nameof(InvalidEmail), nameof(DuplicateEmail),
    };
}
