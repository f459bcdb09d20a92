using System.Diagnostics;
using System.Globalization;
using System.Text;
using SspfSamordning.Bench.Legacy;
using SspfSamordning.Domain;
using SspfSamordning.Domain.Cases;
#if !SSPF_LEGACY_DOMAIN
using SspfSamordning.Domain.Workflows;
#endif
using Stateless;

/// <summary>
/// Workflow transitions per second. Part 1 drives the real domain (a case's meeting: Reschedule with a new time is
/// two transitions, Reschedule + Schedule, then Cancel is a third; and the permitted-trigger queries every view
/// makes) — compare it between a run before and a run after an engine change. Part 2 compares the two engines in
/// this one run on the case's own transition table: the in-house engine the domain used before (kept in
/// <c>Legacy/</c>) and Stateless, each built per call with its guards bound to the entity, as the domain does.
/// </summary>
internal static class WorkflowBench
{
    private const int Cases = 2000;
    private const int Rounds = 9;

    public static int Run(string? outFile)
    {
        var report = new StringBuilder();
        void Line(string text) { Console.WriteLine(text); report.AppendLine(text); }

        Line("# Workflows: transitions per second");
        Line("");
        Line($"Run {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, .NET {Environment.Version}, " +
             $"domain engine: {typeof(Meeting).Assembly.GetReferencedAssemblies().Any(a => a.Name == "Stateless") switch { true => "Stateless", false => "in-house" }}. " +
             $"Median of {Rounds} rounds.");
        Line("");

        // Part 1: the real domain.
        var transitions = new List<double>();
        var queries = new List<double>();
        for (var round = 0; round < Rounds + 1; round++)
        {
            var (perSecond, queriesPerSecond) = DomainRound();
            if (round == 0) continue; // warm-up
            transitions.Add(perSecond);
            queries.Add(queriesPerSecond);
        }
        if (Environment.GetEnvironmentVariable("SSPF_BENCH_PART") == "domain")
        {
            Line($"domain transitions/s: {Median(transitions):F0}; domain queries/s: {Median(queries):F0}");
            return 0;
        }
        Line("| domain (Case methods, {0} cases per round) | per second |".Replace("{0}", Cases.ToString(CultureInfo.InvariantCulture)));
        Line("|---|---:|");
        Line($"| transitions (Reschedule + Schedule + Cancel of a meeting, with their deadlines and history) | {Median(transitions):N0} |");
        Line($"| permitted-trigger queries (case and meeting) | {Median(queries):N0} |");
        Line("");

        // Part 2: the two engines on the case's table, same run.
        var legacyFire = new List<double>();
        var statelessFire = new List<double>();
        var legacyQuery = new List<double>();
        var statelessQuery = new List<double>();
        var cachedFire = new List<double>();
        var cachedQuery = new List<double>();
        const int iterations = 200_000;
        for (var round = 0; round < Rounds + 1; round++)
        {
            var subject = new Subject();
            var lf = OpsPerSecond(iterations, () => { Legacy(subject).Fire(CaseTrigger.Close); Legacy(subject).Fire(CaseTrigger.Reopen); }) * 2;
            var sf = OpsPerSecond(iterations, () => { FireStateless(subject, CaseTrigger.Close); FireStateless(subject, CaseTrigger.Reopen); }) * 2;
            var lq = OpsPerSecond(iterations, () => Legacy(subject).PermittedTriggers.Count);
            var sq = OpsPerSecond(iterations, () => PermittedByStateless(WithStateless(subject)).Count);
#if SSPF_LEGACY_DOMAIN
            var (cf, cq) = (double.NaN, double.NaN);
#else
            var cf = OpsPerSecond(iterations, () => { Cached.Bind(subject).Fire(CaseTrigger.Close); Cached.Bind(subject).Fire(CaseTrigger.Reopen); }) * 2;
            var cq = OpsPerSecond(iterations, () => Cached.Bind(subject).PermittedTriggers.Count);
#endif
            if (round == 0) continue;
            cachedFire.Add(cf);
            cachedQuery.Add(cq);
            legacyFire.Add(lf);
            statelessFire.Add(sf);
            legacyQuery.Add(lq);
            statelessQuery.Add(sq);
        }
        Line("| engine (case table) | in-house, built per call / s | Stateless, built per call / s | ÷ in-house | Stateless, one machine per type (WorkflowMachine) / s | ÷ in-house |");
        Line("|---|---:|---:|---:|---:|---:|");
        Line($"| fire (Close, Reopen with its guard) | {Median(legacyFire):N0} | {Median(statelessFire):N0} | {Median(statelessFire) / Median(legacyFire):F2} | {Median(cachedFire):N0} | {Median(cachedFire) / Median(legacyFire):F2} |");
        Line($"| permitted triggers | {Median(legacyQuery):N0} | {Median(statelessQuery):N0} | {Median(statelessQuery) / Median(legacyQuery):F2} | {Median(cachedQuery):N0} | {Median(cachedQuery) / Median(legacyQuery):F2} |");

        if (outFile is not null)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(outFile))!);
            File.WriteAllText(outFile, report.ToString());
        }
        return 0;
    }

    private static (double Transitions, double Queries) DomainRound()
    {
        var now = new DateTimeOffset(2026, 3, 10, 9, 0, 0, TimeSpan.FromHours(1));
        var rules = CaseRules.Default;
        var coordinator = Guid.NewGuid();
        var teacher = Guid.NewGuid();
        var cases = new List<(Case Case, Guid Meeting)>(Cases);
        for (var i = 0; i < Cases; i++)
        {
            var today = DateOnly.FromDateTime(now.DateTime);
            var youth = Youth.Create(CaseStore.Personnummer(today.AddYears(-15).AddDays(-i % 300)), "Kim", "Testsson", today, "Tångaskolan", "Storgatan 12 B");
            var @case = Case.Open(Guid.NewGuid(), $"SSPF-2026-{i:D4}", youth,
                [Guardian.Create("Anna", "Testsson", true, today), Guardian.Create("Per", "Testsson", true, today)],
                SignalCategory.Other, [Party.Skola], coordinator, now);
            @case.AddMember(teacher, Party.Skola, coordinator, now);
            var consent = @case.RequestConsent([Party.Skola, Party.Socialtjanst], [InformationCategory.Basic, InformationCategory.School], coordinator, now, rules);
            foreach (var signatory in @case.RequiredSignatories(now))
                @case.AnswerConsent(consent.Id, new SignatoryAnswer(signatory, true, ConsentForm.Written, Party.Socialtjanst, DocumentRef: "Dnr 1"), coordinator, now, rules);
            var meeting = @case.ScheduleMeeting(MeetingKind.Network, now.AddDays(5), "Stadshuset", [teacher], coordinator, now, rules);
            cases.Add((@case, meeting.Id));
        }

        var watch = Stopwatch.StartNew();
        foreach (var (@case, meeting) in cases)
        {
            @case.RescheduleMeeting(meeting, now.AddDays(6), "Krock", coordinator, now, rules);
            @case.CancelMeeting(meeting, "Sjukdom", coordinator, now);
        }
        var transitions = 3 * cases.Count / watch.Elapsed.TotalSeconds;

        var permitted = 0;
        watch.Restart();
        for (var repeat = 0; repeat < 5; repeat++)
            foreach (var (@case, meeting) in cases)
                permitted += @case.PermittedTriggers(now).Count + @case.Meetings.First().PermittedTriggers(now).Count;
        var queries = 10 * cases.Count / watch.Elapsed.TotalSeconds;
        if (permitted == 0) throw new InvalidOperationException("Nothing permitted: the bench measured nothing.");
        return (transitions, queries);
    }

    /// <summary>A case-like entity for the engine comparison: its state and what the guards read.</summary>
    private sealed class Subject
    {
        public CaseState State { get; set; } = CaseState.Active;
        public bool ConsentInForce { get; set; } = true;
        public DateTimeOffset Now { get; } = DateTimeOffset.UtcNow;
        public DateTimeOffset ReopenableUntil { get; } = DateTimeOffset.UtcNow.AddDays(1);
    }

#if !SSPF_LEGACY_DOMAIN
    /// <summary>The same table on the domain's <see cref="WorkflowMachine{TContext,TState,TTrigger}"/>: configured once, bound per call.</summary>
    private static readonly WorkflowMachine<Subject, CaseState, CaseTrigger> Cached = new("Case", c => c.State, (c, s) => c.State = s, CaseTable);
#endif

    private static LegacyWorkflow<CaseState, CaseTrigger> Legacy(Subject c)
    {
        var workflow = new LegacyWorkflow<CaseState, CaseTrigger>("Case", () => c.State, s => c.State = s);
        workflow.Configure(CaseState.Opened)
            .Permit(CaseTrigger.RequestConsent, CaseState.AwaitingConsent)
            .Permit(CaseTrigger.Close, CaseState.Closed);
        workflow.Configure(CaseState.AwaitingConsent)
            .PermitIf(CaseTrigger.Activate, CaseState.Active, () => c.ConsentInForce, "Ett giltigt samtycke finns")
            .PermitIf(CaseTrigger.Decline, CaseState.Declined, () => !c.ConsentInForce, "Det senast begärda samtycket har vägrats")
            .Permit(CaseTrigger.Close, CaseState.Closed);
        workflow.Configure(CaseState.Active)
            .PermitIf(CaseTrigger.ConsentLost, CaseState.AwaitingConsent, () => !c.ConsentInForce, "Inget giltigt samtycke finns")
            .Permit(CaseTrigger.Close, CaseState.Closed);
        workflow.Configure(CaseState.Closed)
            .PermitIf(CaseTrigger.Reopen, CaseState.Active, () => c.Now <= c.ReopenableUntil, "Ärendet avslutades inom tiden för återöppning");
        return workflow;
    }

    private static StateMachine<CaseState, CaseTrigger> WithStateless(Subject c)
    {
        var machine = new StateMachine<CaseState, CaseTrigger>(() => c.State, s => c.State = s, FiringMode.Immediate);
        CaseTable(machine, () => c);
        return machine;
    }

    /// <summary>The case's table on Stateless, its guards reading the subject through <paramref name="c"/>.</summary>
    private static void CaseTable(StateMachine<CaseState, CaseTrigger> machine, Func<Subject> c)
    {
        machine.Configure(CaseState.Opened)
            .Permit(CaseTrigger.RequestConsent, CaseState.AwaitingConsent)
            .Permit(CaseTrigger.Close, CaseState.Closed);
        machine.Configure(CaseState.AwaitingConsent)
            .PermitIf(CaseTrigger.Activate, CaseState.Active, () => c().ConsentInForce, "Ett giltigt samtycke finns")
            .PermitIf(CaseTrigger.Decline, CaseState.Declined, () => !c().ConsentInForce, "Det senast begärda samtycket har vägrats")
            .Permit(CaseTrigger.Close, CaseState.Closed);
        machine.Configure(CaseState.Active)
            .PermitIf(CaseTrigger.ConsentLost, CaseState.AwaitingConsent, () => !c().ConsentInForce, "Inget giltigt samtycke finns")
            .Permit(CaseTrigger.Close, CaseState.Closed);
        machine.Configure(CaseState.Closed)
            .PermitIf(CaseTrigger.Reopen, CaseState.Active, () => c().Now <= c().ReopenableUntil, "Ärendet avslutades inom tiden för återöppning");
    }

    /// <summary>As the legacy engine's Fire: the transition (source, destination, trigger) is returned to the caller.</summary>
    private static StateMachine<CaseState, CaseTrigger>.Transition FireStateless(Subject c, CaseTrigger trigger)
    {
        var machine = WithStateless(c);
        var source = machine.State;
        machine.Fire(trigger);
        return new StateMachine<CaseState, CaseTrigger>.Transition(source, machine.State, trigger, []);
    }

    /// <summary>Stateless 5.20's synchronous GetPermittedTriggers is obsolete (it hops to the thread pool); CanFire is synchronous.</summary>
    private static List<CaseTrigger> PermittedByStateless(StateMachine<CaseState, CaseTrigger> machine) =>
        [.. Enum.GetValues<CaseTrigger>().Where(t => machine.CanFire(t))];

    private static double OpsPerSecond(int iterations, Func<object> op)
    {
        object? sink = null;
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < iterations; i++) sink = op();
        GC.KeepAlive(sink);
        return iterations / watch.Elapsed.TotalSeconds;
    }

    private static double OpsPerSecond(int iterations, Action op) => OpsPerSecond(iterations, () => { op(); return iterations; });

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
}
