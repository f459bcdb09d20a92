using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SspfSamordning.Api.Features.Cases;
using SspfSamordning.Api.Infrastructure.Encryption;
using SspfSamordning.Domain;
using SspfSamordning.Domain.Cases;

namespace SspfSamordning.Api.Infrastructure.Persistence;

/// <summary>
/// Development only (<c>Demo:Cases</c>, on in appsettings.Development.json, off in the API tests): five fictitious cases
/// in Falkenberg, one per state worth showing, built through the domain exactly as the use cases build them (case numbers,
/// blind index, encryption and access-log events by the ordinary save). Runs only while Falkenberg has no case, so a
/// second start adds nothing. Names are obviously invented; personnummer are valid (Luhn) for made-up birth dates (<see cref="Personnummer.Fictitious"/>).
/// </summary>
public static class DemoCases
{
    /// <summary>The youths' names, in the order below, for the README and the test.</summary>
    public const string Opened = "Testa Testsson";           // new: the signal is registered, nothing asked yet
    public const string SharedWithPolice = "Demo Demosson";  // active, written consent in force covering the police
    public const string MeetingBooked = "Exempel Exempelsson"; // active, a network meeting booked next week (no police)
    public const string ConsentWithdrawn = "Prova Provsson"; // the consent (police included) withdrawn: back to awaiting consent
    public const string Closed = "Fiktiv Fiktivsson";        // closed, goals reached

    public static async Task SeedAsync(IServiceProvider services)
    {
        var db = services.GetRequiredService<SspfDbContext>();
        var falkenberg = await db.Municipalities.Where(m => m.Code == "1382").Select(m => (Guid?)m.Id).SingleOrDefaultAsync();
        if (falkenberg is not { } municipality || await db.Cases.AnyAsync(c => c.MunicipalityId == municipality)) return;
        var rules = services.GetRequiredService<IOptions<CaseRules>>().Value;
        var index = services.GetRequiredService<BlindIndex>();
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        var users = await db.Users.Where(u => u.Email!.EndsWith("@falkenberg.example")).ToDictionaryAsync(u => u.Email!.Split('@')[0], u => u.Id);
        var samordnare = users["samordnare"];
        var (polis, skola, social) = (users["polis"], users["skola"], users["socialsekreterare"]);

        async Task AddAsync(string name, int serial, int ageYears, Party[] parties, Action<Case, DateTimeOffset> story)
        {
            var opened = now.AddDays(-30);
            var today = SwedishCalendar.DateOf(opened);
            var (given, family) = (name.Split(' ')[0], name.Split(' ')[1]);
            var youth = Youth.Create(Personnummer.Fictitious(today.AddYears(-ageYears).AddDays(-serial * 40), serial), given, family, today,
                school: "Demoskolan", address: $"Påhittade gatan {serial}, 311 00 Falkenberg");
            var guardians = new[]
            {
                Guardian.Create("Förälder", family, true, today, Personnummer.Fictitious(new DateOnly(1980, 1, 1).AddDays(serial * 30), 900 + serial),
                    "070-000 00 00", $"foralder.{family.ToLowerInvariant()}@example.se", youth.Address),
            };
            // No explicit transaction (unlike OpenCase): the seed runs alone at start, and the first data key's wrapping
            // may create the Data Protection key through its own connection, which SQLite would find locked.
            var number = await CaseNumbers.NextAsync(db, municipality, SwedishCalendar.DateOf(now).Year, CancellationToken.None);
            var @case = Case.Open(municipality, number, youth, guardians, SignalCategory.SchoolAbsence, parties, samordnare, opened);
            story(@case, opened.AddHours(1));
            db.Cases.Add(@case);
            db.SetPersonnummerIndex(@case, index);
            await db.SaveChangesAsync();
        }

        // A consent for the parties, answered yes by everyone who must sign, a day after the request: the case becomes Active.
        Consent Consented(Case @case, Party[] parties, DateTimeOffset t)
        {
            var consent = @case.RequestConsent(parties, [InformationCategory.Basic, InformationCategory.School, InformationCategory.Police], samordnare, t, rules);
            foreach (var signatory in @case.RequiredSignatories(t.AddDays(1)))
                @case.AnswerConsent(consent.Id, new SignatoryAnswer(signatory, true, ConsentForm.Written, Party.Annan, "DEMO-SAMTYCKE"), samordnare, t.AddDays(1), rules);
            return consent;
        }

        Party[] withPolice = [Party.Skola, Party.Socialtjanst, Party.Polis];
        Party[] withoutPolice = [Party.Skola, Party.Socialtjanst];
        await AddAsync(Opened, 1, 14, withoutPolice, (_, _) => { });
        await AddAsync(SharedWithPolice, 2, 15, withPolice, (c, t) =>
        {
            foreach (var (user, party) in new[] { (skola, Party.Skola), (social, Party.Socialtjanst), (polis, Party.Polis) }) c.AddMember(user, party, samordnare, t);
            Consented(c, withPolice, t);
        });
        await AddAsync(MeetingBooked, 3, 16, withoutPolice, (c, t) =>
        {
            c.AddMember(skola, Party.Skola, samordnare, t);
            c.AddMember(social, Party.Socialtjanst, samordnare, t);
            Consented(c, withoutPolice, t);
            var startsAt = new DateTimeOffset(SwedishCalendar.DateOf(now).AddDays(7).ToDateTime(new TimeOnly(9, 0)), TimeSpan.Zero);
            c.ScheduleMeeting(MeetingKind.Network, startsAt, "Stadshuset, rum 3", [skola, social], samordnare, t.AddDays(2), rules);
        });
        await AddAsync(ConsentWithdrawn, 4, 17, withPolice, (c, t) =>
        {
            // The police officer stays a member, yet no longer sees the case: nothing shares it with the police now.
            foreach (var (user, party) in new[] { (skola, Party.Skola), (social, Party.Socialtjanst), (polis, Party.Polis) }) c.AddMember(user, party, samordnare, t);
            var consent = Consented(c, withPolice, t);
            c.WithdrawConsent(consent.Id, Signatory.Youth, "Ungdomen vill inte längre att uppgifterna delas.", samordnare, t.AddDays(10));
        });
        await AddAsync(Closed, 5, 16, withoutPolice, (c, t) =>
        {
            c.AddMember(skola, Party.Skola, samordnare, t);
            Consented(c, withoutPolice, t);
            c.Close(CloseReason.GoalsReached, "Närvaron i skolan är god igen.", samordnare, t.AddDays(20), rules);
        });
    }
}
