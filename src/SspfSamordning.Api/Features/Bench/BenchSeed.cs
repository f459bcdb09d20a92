using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.Extensions.Options;
using Npgsql;
using SspfSamordning.Api.Features.Cases;
using SspfSamordning.Api.Infrastructure.Audit;
using SspfSamordning.Api.Infrastructure.Encryption;
using SspfSamordning.Api.Infrastructure.Persistence;
using SspfSamordning.Domain;
using SspfSamordning.Domain.Cases;

namespace SspfSamordning.Api.Features.Bench;

/// <summary>
/// Benchmark build only: <c>--bench-seed N --bench-out DIR</c> grows the demo municipality Falkenberg (PostgreSQL) to N
/// cases. Each case is built through the domain (open, members, consent answered, network meeting held, action plan,
/// follow-up, intervention started), gets its data key, blind index, encrypted fields and Create/Transition events
/// linked to the access log's hash chain exactly as a save would do — then the change tracker's rows are written with
/// binary COPY instead of INSERTs, a batch per transaction (two batches are built while one is written). The first run also writes the id lists bench/load/*.lua read.
/// </summary>
public static class BenchSeed
{
    private const int BatchSize = 1000;
    /// <summary>Every 20th case of the first run is kept for the transition scenario (closed and reopened in turn), and
    /// every 20th with an offset of 10 for its warm-up, so that the warm-up leaves the measured cases as they were.</summary>
    private const int TransitionEvery = 20;

    public static async Task RunAsync(IServiceProvider services, string[] args, ILogger logger)
    {
        var target = int.Parse(args[Array.IndexOf(args, "--bench-seed") + 1], System.Globalization.CultureInfo.InvariantCulture);
        var outDir = args[Array.IndexOf(args, "--bench-out") + 1];
        Directory.CreateDirectory(outDir);
        var rules = services.GetRequiredService<IOptions<CaseRules>>().Value;
        var now = DateTimeOffset.UtcNow;

        Guid municipality, samordnare, polis, skola, social, fritid;
        int existing;
        await using (var scope = services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<SspfDbContext>();
            await DemoSeed.SeedAsync(scope.ServiceProvider, DemoSeed.DefaultPassword);
            municipality = await db.Municipalities.Where(m => m.Code == "1382").Select(m => m.Id).SingleAsync();
            var users = await db.Users.Select(u => new { u.Email, u.Id }).ToDictionaryAsync(u => u.Email!.Split('@')[0] + "@" + u.Email!.Split('@')[1], u => u.Id);
            samordnare = users["samordnare@falkenberg.example"];
            polis = users["polis@falkenberg.example"];
            skola = users["skola@falkenberg.example"];
            social = users["socialsekreterare@falkenberg.example"];
            fritid = users["fritid@falkenberg.example"];
            existing = await db.Cases.CountAsync(c => c.MunicipalityId == municipality);
        }

        var reads = new List<Guid>();
        var police = new List<Guid>();
        var transitions = new List<Guid>();
        var transitionWarmUp = new List<Guid>();
        var personnummer = new List<string>();
        var watch = Stopwatch.StartNew();
        // A pipeline over the two cores: two builders prepare batches (domain, keys, encryption, audit events) while
        // one writer links each batch to the chain and copies it. Every batch has its own scope and DbContext.
        var batches = Channel.CreateBounded<(AsyncServiceScope Scope, SspfDbContext Db, int Count)>(2);
        using var failed = new CancellationTokenSource();
        var next = existing - BatchSize;
        async Task BuildAsync()
        {
            while (true)
            {
                var from = Interlocked.Add(ref next, BatchSize);
                if (from >= target) return;
                var to = Math.Min(target, from + BatchSize);
                var scope = services.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<SspfDbContext>();
                db.ChangeTracker.AutoDetectChangesEnabled = false;
                var index = scope.ServiceProvider.GetRequiredService<BlindIndex>();
                for (var i = from; i < to; i++)
                {
                    var withPolice = i % 5 < 2; // 40 % of the cases have a police member covered by the consent
                    var @case = BuildCase(i, municipality, samordnare, polis, skola, social, fritid, withPolice, now, rules);
                    db.Cases.Add(@case);
                    db.SetPersonnummerIndex(@case, index);
                    if (existing != 0) continue;
                    lock (reads)
                    {
                        if (i % TransitionEvery == 0) transitions.Add(@case.Id);
                        else if (i % TransitionEvery == TransitionEvery / 2) transitionWarmUp.Add(@case.Id);
                        else
                        {
                            if (reads.Count < 2000) reads.Add(@case.Id);
                            if (withPolice && police.Count < 2000) police.Add(@case.Id);
                            if (personnummer.Count < 2000 && i % 3 == 0) personnummer.Add(@case.Youth.Personnummer);
                        }
                    }
                }
                Prepare(db);
                await batches.Writer.WriteAsync((scope, db, to - from), failed.Token);
            }
        }
        var writer = Task.Run(async () =>
        {
            var written = 0;
            try
            {
                await foreach (var (scope, db, count) in batches.Reader.ReadAllAsync())
                {
                    await WriteAsync(db);
                    await scope.DisposeAsync();
                    written += count;
                    if ((written / BatchSize) % 10 == 0 || existing + written == target)
                        logger.LogWarning("Bench seed: {Count} cases ({Rate:F0} cases/s).", existing + written, written / watch.Elapsed.TotalSeconds);
                }
            }
            catch
            {
                await failed.CancelAsync();
                throw;
            }
        });
        try
        {
            await Task.WhenAll(Task.Run(BuildAsync), Task.Run(BuildAsync));
            batches.Writer.Complete();
        }
        catch (Exception e)
        {
            batches.Writer.Complete(e);
        }
        await writer;

        if (existing == 0)
        {
            await File.WriteAllLinesAsync(Path.Combine(outDir, "cases.txt"), reads.Select(g => g.ToString()));
            await File.WriteAllLinesAsync(Path.Combine(outDir, "police-cases.txt"), police.Select(g => g.ToString()));
            await File.WriteAllLinesAsync(Path.Combine(outDir, "transition-cases.txt"), transitions.Select(g => g.ToString()));
            await File.WriteAllLinesAsync(Path.Combine(outDir, "transition-warmup-cases.txt"), transitionWarmUp.Select(g => g.ToString()));
            await File.WriteAllLinesAsync(Path.Combine(outDir, "personnummer.txt"), personnummer);
        }
    }

    private static Case BuildCase(
        int i, Guid municipality, Guid samordnare, Guid polis, Guid skola, Guid social, Guid fritid, bool withPolice,
        DateTimeOffset now, CaseRules rules)
    {
        var opened = now.AddDays(-60).AddMinutes(-(i % 10_000));
        var today = SwedishCalendar.DateOf(opened);
        var born = new DateOnly(2010, 1, 1).AddDays(i % 1800);           // 14-18 years old
        var youth = Youth.Create(Personnummer.Fictitious(born, i / 1800), Pick(GivenNames, i), Pick(FamilyNames, i / 7), today,
            school: $"{Pick(FamilyNames, i / 3)}skolan", address: $"{Pick(Streets, i)} {i % 97 + 1}, 311 {i % 90 + 10} Falkenberg");
        var parentBorn = new DateOnly(1975, 1, 1).AddDays(i % 3600);
        var guardians = new[]
        {
            Guardian.Create(Pick(GivenNames, i + 3), youth.FamilyName, true, today, Personnummer.Fictitious(parentBorn, i / 3600), $"070-{i % 1000:000} {i % 100:00} 00",
                $"vh1.{i}@example.se", youth.Address),
            Guardian.Create(Pick(GivenNames, i + 5), youth.FamilyName, true, today, Personnummer.Fictitious(parentBorn.AddDays(400), i / 3600 + 50), $"073-{i % 1000:000} {i % 100:00} 11",
                $"vh2.{i}@example.se", youth.Address),
        };
        var parties = withPolice ? new[] { Party.Skola, Party.Socialtjanst, Party.Polis, Party.Fritid } : [Party.Skola, Party.Socialtjanst, Party.Fritid];
        var @case = Case.Open(municipality, $"BENCH-{i:0000000}", youth, guardians, (SignalCategory)(i % 7), parties, samordnare, opened);
        var t = opened.AddHours(1);
        @case.AddMember(skola, Party.Skola, samordnare, t);
        @case.AddMember(social, Party.Socialtjanst, samordnare, t);
        @case.AddMember(fritid, Party.Fritid, samordnare, t);
        if (withPolice) @case.AddMember(polis, Party.Polis, samordnare, t);

        var consent = @case.RequestConsent(parties, [InformationCategory.Basic, InformationCategory.School, InformationCategory.Police], samordnare, t, rules);
        t = t.AddDays(2);
        foreach (var signatory in @case.RequiredSignatories(t))
            @case.AnswerConsent(consent.Id, new SignatoryAnswer(signatory, true, ConsentForm.Written, Party.Annan, $"DOK-{i}-{signatory.Kind}"), samordnare, t, rules);

        var invitees = withPolice ? new[] { skola, social, fritid, polis } : [skola, social, fritid];
        var meeting = @case.ScheduleMeeting(MeetingKind.Network, t.AddDays(7), "Stadshuset, rum 3", invitees, samordnare, t, rules);
        t = t.AddDays(7).AddHours(2);
        @case.RecordMeetingHeld(meeting.Id, invitees, true, [guardians[0].Id], Minutes(i), samordnare, t, rules);
        @case.SetActionPlan(meeting.Id, "Närvaro i skolan minst 90 %, en fritidsaktivitet i veckan, inga nya polisanmälningar.", samordnare, t, rules);
        var intervention = @case.ProposeIntervention((InterventionType)(i % 5), Party.Fritid, fritid, "Regelbunden fritidsaktivitet med ledare",
            today.AddDays(14), today.AddMonths(6), false, t);
        @case.PlanIntervention(intervention.Id, samordnare, t);
        @case.StartIntervention(intervention.Id, samordnare, t.AddDays(3));
        return @case;
    }

    /// <summary>The change tracker's new rows, prepared as SaveChangesAsync would (keys, versions, audit events and their
    /// chain links, encryption), written with binary COPY in one transaction.</summary>
    private static void Prepare(SspfDbContext db)
    {
        var tracker = db.ChangeTracker;
        tracker.DetectChanges(); // automatic detection is off here (see RunAsync)
        Aggregates.AssignKeyOwners(tracker);
        Aggregates.BumpVersions(tracker);
        db.AccessEvents.AddRange(ChangeAudit.Record(tracker, new AuditContext(new HttpContextAccessor(), TimeProvider.System)));
        tracker.DetectChanges();
        var ring = KeyRings.Of(db);
        var entries = tracker.Entries().Where(e => e.State == EntityState.Added).ToList();
        foreach (var entry in entries)
        {
            if (EncryptedEntityType.Find(entry.Metadata) is not { } type) continue;
            var owner = (Guid)entry.Property(type.KeyOwner).CurrentValue!;
            var rowId = RowIds.Format(type.Key.Select(k => entry.Property(k).CurrentValue).ToList());
            foreach (var field in type.Fields)
            {
                var property = entry.Property(field.Property);
                if (property.CurrentValue is string plaintext) property.CurrentValue = ring.Encrypt(plaintext, owner, type.Location(field, rowId));
            }
        }
    }

    private static async Task WriteAsync(SspfDbContext db)
    {
        var entries = db.ChangeTracker.Entries().Where(e => e.State == EntityState.Added).ToList();
        await using var transaction = await db.Database.BeginTransactionAsync();
        // The rows come from the app's own model, consistent by construction: skip the per-row foreign-key triggers,
        // which cost more than the COPY itself (the seed connects as the owner, a superuser in bench/load.sh).
        // Nor does the seed wait for each batch's log flush (the API's own commits stay durable).
        await db.Database.ExecuteSqlRawAsync("SET LOCAL session_replication_role = replica; SET LOCAL synchronous_commit = off");
        var events = entries.Select(e => e.Entity).OfType<AccessEvent>().ToList();
        await AuditChain.LinkAsync(db, events, CancellationToken.None);
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        foreach (var table in TablesInDependencyOrder(db))
            await CopyAsync(connection, table, entries);
        await transaction.CommitAsync();
    }

    private static async Task CopyAsync(NpgsqlConnection connection, Microsoft.EntityFrameworkCore.Metadata.ITable table, List<EntityEntry> entries)
    {
        var columns = table.Columns.ToList();
        // An entity type's columns, with those of its complex properties (the youth's), which the model maps apart.
        var mappings = table.EntityTypeMappings.Concat(table.ComplexTypeMappings)
            .GroupBy(m => m.TypeBase.ContainingEntityType)
            .ToDictionary(g => g.Key, g => g.SelectMany(m => m.ColumnMappings).ToList());
        var index = columns.Select((c, i) => (c, i)).ToDictionary(x => (Microsoft.EntityFrameworkCore.Metadata.IColumnBase)x.c, x => x.i);
        var rows = new List<object?[]>();
        foreach (var entry in entries)
        {
            if (!mappings.TryGetValue(entry.Metadata, out var columnMappings)) continue;
            var values = new object?[columns.Count];
            foreach (var cm in columnMappings)
            {
                var value = entry.Property(cm.Property).CurrentValue;
                if (value is not null && cm.TypeMapping.Converter is { } converter) value = converter.ConvertToProvider(value);
                values[index[cm.Column]] = value;
            }
            rows.Add(values);
        }
        if (rows.Count == 0) return;

        var columnList = string.Join(", ", columns.Select(c => $"\"{c.Name}\""));
        await using var writer = await connection.BeginBinaryImportAsync($"COPY \"{table.Name}\" ({columnList}) FROM STDIN (FORMAT BINARY)");
        var storeTypes = columns.Select(c => c.StoreType.Split('(')[0]).ToList();
        foreach (var row in rows)
        {
            writer.StartRow();
            for (var i = 0; i < row.Length; i++)
                if (row[i] is null) writer.WriteNull();
                else writer.Write(row[i], storeTypes[i]);
        }
        await writer.CompleteAsync();
    }

    private static List<Microsoft.EntityFrameworkCore.Metadata.ITable> TablesInDependencyOrder(DbContext db)
    {
        var ordered = new List<Microsoft.EntityFrameworkCore.Metadata.ITable>();
        var seen = new HashSet<Microsoft.EntityFrameworkCore.Metadata.ITable>();
        void Visit(Microsoft.EntityFrameworkCore.Metadata.ITable table)
        {
            if (!seen.Add(table)) return;
            foreach (var fk in table.ForeignKeyConstraints) if (fk.PrincipalTable != table) Visit(fk.PrincipalTable);
            ordered.Add(table);
        }
        foreach (var table in db.Model.GetRelationalModel().Tables) Visit(table);
        return ordered;
    }

    private static string Minutes(int i) =>
        $"Nätverksmöte {i}. Närvarande: skola, socialtjänst, fritid. Ungdomen berättade om skolsituationen och fritiden. "
        + "Överenskommet: mentorssamtal varje vecka, kontakt med fritidsgården, uppföljning om tre månader. "
        + string.Concat(Enumerable.Repeat("Anteckningar om läget och vad som sagts. ", 12));

    private static string Pick(string[] values, int i) => values[(i % values.Length + values.Length) % values.Length];

    private static readonly string[] GivenNames = ["Alva", "Elias", "Maja", "Liam", "Ella", "Noah", "Wilma", "Hugo", "Alice", "Adam", "Saga", "Omar", "Nora", "Leo", "Ines", "Amir"];
    private static readonly string[] FamilyNames = ["Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson", "Persson", "Svensson", "Gustafsson", "Hassan", "Ali"];
    private static readonly string[] Streets = ["Storgatan", "Nygatan", "Skolgatan", "Ringvägen", "Ätrastigen", "Tullbrogatan", "Hamngatan"];
}
