using System.Security.Cryptography;
using System.Text.RegularExpressions;
using SspfSamordning.Api.Infrastructure.Encryption;

namespace SspfSamordning.Api.Tests.Encryption;

public sealed partial class FieldCipherTests
{
    private static readonly DataKeyMaterial Key = NewKey();
    private static readonly FieldLocation Here = new("Cases", "Youth_GivenName", "0198a7a0-0000-7000-8000-000000000001");

    private static DataKeyMaterial NewKey(Guid? id = null) =>
        new(id ?? Guid.CreateVersion7(), Guid.CreateVersion7(), 1, RandomNumberGenerator.GetBytes(32));

    [GeneratedRegex("^v1\\.[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{16}\\.[A-Za-z0-9_-]+$")]
    private static partial Regex StoredFormat();

    [Theory]
    [InlineData("Alva")]
    [InlineData("")]
    [InlineData("Åsa Öberg-Ängström, Storgatan 1 – 12 345 Växjö ✓")]
    public void Decrypt_OfEncrypt_ReturnsThePlaintext(string plaintext)
    {
        var stored = FieldCipher.Encrypt(plaintext, Key, Here);

        Assert.Equal(plaintext, FieldCipher.Decrypt(stored, Key, Here));
    }

    [Fact]
    public void Decrypt_OfALongValue_ReturnsThePlaintext()
    {
        var minutes = string.Concat(Enumerable.Repeat("Mötesanteckning med åäö. ", 4000));

        Assert.Equal(minutes, FieldCipher.Decrypt(FieldCipher.Encrypt(minutes, Key, Here), Key, Here));
    }

    [Fact]
    public void Encrypt_WritesVersionKeyIdNonceAndSealedValueAsBase64Url()
    {
        var stored = FieldCipher.Encrypt("Alva", Key, Here);

        Assert.Matches(StoredFormat(), stored);
        Assert.True(FieldCipher.TryReadKeyId(stored, out var keyId));
        Assert.Equal(Key.KeyId, keyId);
        var sealedLength = System.Buffers.Text.Base64Url.DecodeFromChars(stored.Split('.')[3]).Length;
        Assert.Equal("Alva".Length + 16, sealedLength); // ciphertext + 128-bit tag
    }

    [Fact]
    public void Encrypt_SameValueTwice_GivesDifferentCiphertexts()
    {
        var first = FieldCipher.Encrypt("200803152385", Key, Here);
        var second = FieldCipher.Encrypt("200803152385", Key, Here);

        Assert.NotEqual(first, second);
        Assert.NotEqual(first.Split('.')[2], second.Split('.')[2]); // fresh nonce
    }

    public static TheoryData<FieldLocation> OtherLocations() =>
    [
        Here with { RowId = "0198a7a0-0000-7000-8000-000000000002" },
        Here with { Column = "Youth_FamilyName" },
        Here with { Table = "Guardians" },
    ];

    [Theory]
    [MemberData(nameof(OtherLocations))]
    public void Decrypt_AtAnotherRowColumnOrTable_FailsAsTampering(FieldLocation elsewhere)
    {
        var stored = FieldCipher.Encrypt("Alva", Key, Here);

        var error = Assert.Throws<CiphertextTamperedException>(() => FieldCipher.Decrypt(stored, Key, elsewhere));

        Assert.Equal(elsewhere, error.Location);
        Assert.Contains(elsewhere.RowId, error.Message);
        Assert.DoesNotContain("Alva", error.ToString());
    }

    [Fact]
    public void Decrypt_WithAnAlteredCiphertext_FailsAsTampering()
    {
        var stored = FieldCipher.Encrypt("Alva Andersson", Key, Here);
        var chars = stored.ToCharArray();
        chars[^3] = chars[^3] == 'A' ? 'B' : 'A';

        Assert.Throws<CiphertextTamperedException>(() => FieldCipher.Decrypt(new string(chars), Key, Here));
    }

    [Fact]
    public void Decrypt_WithTheWrongKeyMaterialUnderTheSameId_FailsAsTampering()
    {
        var stored = FieldCipher.Encrypt("Alva", Key, Here);

        Assert.Throws<CiphertextTamperedException>(() => FieldCipher.Decrypt(stored, NewKey(Key.KeyId), Here));
    }

    [Theory]
    [InlineData("v1.")]
    [InlineData("v1.AAAAAAAAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAA.")]
    [InlineData("v1.AAAAAAAAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAA.!!!!")]
    [InlineData("v1.short.nonce.payload")]
    public void Decrypt_OfAMalformedValue_FailsAsTampering(string stored) =>
        Assert.Throws<CiphertextTamperedException>(() => FieldCipher.Decrypt(stored, Key, Here));

    [Theory]
    [InlineData("Alva", false)]
    [InlineData("v1.x", true)]
    [InlineData("V1.x", false)]
    public void IsCiphertext_RecognisesTheVersionPrefixOnly(string value, bool expected) =>
        Assert.Equal(expected, FieldCipher.IsCiphertext(value));
}
