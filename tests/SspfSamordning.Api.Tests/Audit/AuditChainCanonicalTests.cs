using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using SspfSamordning.Api.Infrastructure.Audit;

namespace SspfSamordning.Api.Tests.Audit;

/// <summary>
/// The chain's canonical form is written with a <see cref="Utf8JsonWriter"/> into a reused buffer; every stored hash was
/// made from <c>JsonSerializer.Serialize(new object?[] { … })</c>'s string, UTF-8 encoded. The two must give the same bytes
/// for every event, else a stored chain stops verifying (the verifier hashes with the same function): the old form is kept
/// here, verbatim, as the reference, and compared over edge cases and thousands of generated events.
/// </summary>
public sealed class AuditChainCanonicalTests(ITestOutputHelper output)
{
    /// <summary>What <c>AuditChain.Canonical</c> was until round ten (878be29), verbatim, and how it was hashed.</summary>
    private static string Reference(AccessEvent e) => JsonSerializer.Serialize(e.Stripe == 0
        ? new object?[]
        {
            "v1", e.Id, e.Sequence, e.At.UtcTicks, e.ActorUserId, e.Roles, e.Party, e.MunicipalityId, e.Action.ToString(),
            e.CaseId, e.EntityType, e.EntityId, e.Categories, e.Purpose, e.Decision.ToString(), e.CorrelationId, e.PreviousHash,
        }
        : new object?[]
        {
            "v2", e.Stripe, e.Id, e.Sequence, e.At.UtcTicks, e.ActorUserId, e.Roles, e.Party, e.MunicipalityId, e.Action.ToString(),
            e.CaseId, e.EntityType, e.EntityId, e.Categories, e.Purpose, e.Decision.ToString(), e.CorrelationId, e.PreviousHash,
        });

    private static string ReferenceHash(AccessEvent e) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Reference(e))));

    private static byte[] Written(AccessEvent e)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using var json = new Utf8JsonWriter(buffer);
        AuditChain.WriteCanonical(e, json);
        return buffer.WrittenSpan.ToArray();
    }

    private static void AssertSame(AccessEvent e)
    {
        var reference = Encoding.UTF8.GetBytes(Reference(e));
        Assert.Equal(Encoding.UTF8.GetString(reference), Encoding.UTF8.GetString(Written(e)));
        Assert.Equal(reference, Written(e));
        Assert.Equal(ReferenceHash(e), AuditChain.ComputeHash(e));
    }

    private static AccessEvent Event(short stripe = 0, string roles = "Samordnare", string? party = null, string? entityType = "Case",
        string categories = "Basic", string? purpose = null, string correlationId = "c", AuditAction action = AuditAction.Read,
        long sequence = 7, DateTimeOffset? at = null, bool nullIds = false) => new()
    {
        Stripe = stripe, Sequence = sequence, At = at ?? AccessEvent.Instant(DateTimeOffset.UtcNow),
        ActorUserId = nullIds ? null : Guid.NewGuid(), Roles = roles, Party = party, MunicipalityId = nullIds ? null : Guid.NewGuid(),
        Action = action, CaseId = nullIds ? null : Guid.NewGuid(), EntityType = entityType, EntityId = nullIds ? null : Guid.NewGuid(),
        Categories = categories, Purpose = purpose, Decision = AuditDecision.Refused, CorrelationId = correlationId,
        PreviousHash = AuditChain.Genesis,
    };

    /// <summary>Characters the default encoder escapes, or that UTF-8 encodes in two to four bytes, or that are invalid alone.</summary>
    private const string Awkward = "\"\\/\0\u0001\b\f\n\r\t\u001f\u007f<>&'+`åäöÅÄÖéü\u00a0\u00ad\u2028\u2029\u200b\ufeff\ufffd€漢😀🇸🇪\ud800\udc00";

    private static readonly string[] EdgeStrings =
    [
        "", " ", "\"", "\\", "\"\\\"", "\0", "\u0001\u001f", "\t\r\n", "<script>alert('x')</script>", "a+b&c", "Läsning åäö ÅÄÖ",
        "😀", "🇸🇪 Sverige", "\ud800", "\udc00", "a\ud800b", "\udc00\ud800", "😀\ud83d", Awkward, new string('ö', 300),
        new string('\u0001', 300), string.Concat(Enumerable.Repeat("😀", 200)), "Polis,Samordnare", "Health,Identity,Basic",
    ];

    // By index: xUnit names a case by its argument, and the lone surrogates would all get the same name.
    public static TheoryData<int> EdgeStringIndexes() => new(Enumerable.Range(0, EdgeStrings.Length));

    [Theory]
    [MemberData(nameof(EdgeStringIndexes))]
    public void EveryStringField_BothForms_WritesTheReferenceBytes(int index)
    {
        var text = EdgeStrings[index];
        foreach (var stripe in new short[] { 0, 1, 15 })
        {
            AssertSame(Event(stripe, roles: text));
            AssertSame(Event(stripe, party: text));
            AssertSame(Event(stripe, entityType: text));
            AssertSame(Event(stripe, categories: text));
            AssertSame(Event(stripe, purpose: text));
            AssertSame(Event(stripe, correlationId: text));
            var e = Event(stripe);
            e.PreviousHash = text;
            AssertSame(e);
        }
    }

    [Fact]
    public void NullsExtremesAndUndefinedEnums_WriteTheReferenceBytes()
    {
        AssertSame(Event(nullIds: true, party: null, entityType: null, purpose: null));
        AssertSame(Event(stripe: 3, nullIds: true, party: null, entityType: null, purpose: null));
        foreach (var stripe in new short[] { 0, 1, -1, short.MinValue, short.MaxValue })
        foreach (var sequence in new[] { 0L, 1L, -1L, long.MinValue, long.MaxValue })
            AssertSame(Event(stripe, sequence: sequence));
        foreach (var at in new[] { DateTimeOffset.MinValue, DateTimeOffset.MaxValue, DateTimeOffset.UnixEpoch, new DateTimeOffset(2026, 12, 6, 10, 0, 0, TimeSpan.FromHours(1)) })
            AssertSame(Event(at: at));
        foreach (var action in Enum.GetValues<AuditAction>().Append((AuditAction)(-1)).Append((AuditAction)999))
            AssertSame(Event(stripe: 2, action: action));
        var empty = new AccessEvent { Id = Guid.Empty };
        AssertSame(empty);
    }

    /// <summary>Thousands of random events: random fields from the awkward characters and ordinary text, nulls, any stripe.</summary>
    [Fact]
    public void GeneratedEvents_WriteTheReferenceBytes_AndHashAlike()
    {
        var random = new Random(20261206);
        var alphabet = Awkward + "abcXYZ019 ,.-_:;";
        string Text(int max) => new(Enumerable.Range(0, random.Next(max + 1)).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray());
        string? Maybe(int max) => random.Next(4) == 0 ? null : Text(max);
        Guid? Id() => random.Next(4) == 0 ? null : Guid.NewGuid();
        for (var i = 0; i < 5000; i++)
        {
            var e = new AccessEvent
            {
                Id = Guid.NewGuid(), Stripe = (short)(random.Next(2) == 0 ? 0 : random.Next(short.MinValue, short.MaxValue + 1)),
                Sequence = random.NextInt64(long.MinValue, long.MaxValue), At = new DateTimeOffset(random.NextInt64(DateTimeOffset.MaxValue.UtcTicks), TimeSpan.Zero),
                ActorUserId = Id(), Roles = Text(40), Party = Maybe(20), MunicipalityId = Id(), Action = (AuditAction)random.Next(-2, 30),
                CaseId = Id(), EntityType = Maybe(20), EntityId = Id(), Categories = Text(60),
                // Long ones now and then: the reused buffer grows past its first size, and the next, short event must not see its tail.
                Purpose = random.Next(50) == 0 ? Text(2000) : Maybe(256),
                Decision = (AuditDecision)random.Next(-1, 3), CorrelationId = Text(40), PreviousHash = random.Next(2) == 0 ? AuditChain.Genesis : Text(64),
            };
            AssertSame(e);
        }
    }

    /// <summary>The hash is computed on whatever thread the request runs on: each thread's buffer serves it alone.</summary>
    [Fact]
    public void ConcurrentHashing_GivesEachEventItsOwnHash()
    {
        var events = Enumerable.Range(0, 2000).Select(i => Event((short)(i % 16), purpose: new string('å', i % 300))).ToArray();
        var expected = events.Select(ReferenceHash).ToArray();
        var actual = new string[events.Length];
        Parallel.For(0, events.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i => actual[i] = AuditChain.ComputeHash(events[i]));
        Assert.Equal(expected, actual);
    }
    /// <summary>
    /// The point of the change: a hash allocates its 64-character result and nothing else that grows with the event (the
    /// serializer's form allocated the boxed fields, the array, the string and its UTF-8 copy: about 2 KB per event).
    /// </summary>
    [Fact]
    public void ComputeHash_AllocatesOnlyItsResult()
    {
        var e = Event(stripe: 5, purpose: "Läsning åäö <list> " + new string('x', 200));
        var perHash = AllocatedPerCall(() => AuditChain.ComputeHash(e));
        var perReferenceHash = AllocatedPerCall(() => ReferenceHash(e));
        output.WriteLine($"bytes allocated per hash: {perHash}; by the serializer's form: {perReferenceHash}");
        Assert.True(perHash <= 256, $"{perHash} bytes allocated per hash");
    }

    private static long AllocatedPerCall(Func<string> hash)
    {
        for (var i = 0; i < 100; i++) hash(); // warm: the JIT's tiers and this thread's buffer
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++) hash();
        return (GC.GetAllocatedBytesForCurrentThread() - before) / 100;
    }
}
