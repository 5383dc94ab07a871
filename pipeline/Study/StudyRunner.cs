using System.Diagnostics;
using Lab.Fit;
using Lab.Pipeline.Domains;
using Lab.Pipeline.Fitting;

namespace Lab.Pipeline.Study;

/// <summary>
/// plan → rounds of (advance → trials) → gather, shared by every domain. `plan` prepares the data and writes the search
/// space (space.parquet: every shard × family size × learning rate the domain offers); `advance` replays the best-fit
/// search (<see cref="StudySearch"/>) over the finished trials and appends the trials of its next round to plan.parquet;
/// `gather` writes the tables, the fits and the report. `pipeline run` is the one-machine loop through the same code;
/// on a cluster each round is a job array (`pipeline trial --index N`) and a dependent job advances (`submit`).
/// Decisions depend only on finished trials of complete rounds, so a killed run resumes to the same trials.
/// </summary>
public static class StudyRunner
{
    /// <summary>Plans, then runs rounds until the search has concluded every shard, then gathers. Exit code 0, or 1 when a trial failed.</summary>
    public static Task<Either<Problem, int>> Run(IDomainRunner domain, RunOptions o, Reporter report)
        => Exclusive(o.Out, "run", report, null, () => RunHeld(domain, o, report), before: () => Admissible(o));

    static Task<Either<Problem, int>> RunHeld(IDomainRunner domain, RunOptions o, Reporter report)
    {
        var clock = Stopwatch.StartNew();
        var files = new StudyFiles(o.Out);
        var results = new TrialCache(files, report);
        return (from planned in PlanHeld(domain, o, report, results).ToAsync()
                let threads = Devices.SetThreads(o.Threads)
                // failed trials of an earlier run are tried again first (a failure may have been transient)
                from again in OneByOne(files, planned.Where(row => results.Read(row.TrialId) is { Outcome: TrialStatus.Failed }),
                    row => RunOne(domain, files, row, threads, report, $"[{row.Index + 1}] again", results))
                from trained in Rounds(domain, o, files, threads, report, results, again)
                from code in Gather(files, report, clock.Elapsed, trained, o.TargetError).ToAsync()
                select code).ToEither();
    }

    /// <summary>Advance → the round's trials, until the search asks for none; the number of trials trained.</summary>
    static EitherAsync<Problem, int> Rounds(IDomainRunner domain, RunOptions o, StudyFiles files, int threads, Reporter report, TrialCache results, int trained)
        => Advance(files, report, results).ToAsync().Bind(a => a.Next.Count == 0
            ? RightAsync<Problem, int>(trained)
            : Round(domain, o, files, a.Next, a.Total, threads, report, results).Bind(n => Rounds(domain, o, files, threads, report, results, trained + n)));

    /// <summary>One round's trials: one by one in this process, or with --jobs N in worker processes.</summary>
    static EitherAsync<Problem, int> Round(IDomainRunner domain, RunOptions o, StudyFiles files, List<PlanRow> next, int total, int threads, Reporter report, TrialCache results)
        => o.Jobs > 1 && next.Count > 1
            ? RoundWorkers.Run(files, next, o.Jobs, threads, o.Provider, report, total).ToAsync()
                .Bind(n => AllWritten(files, next, results).Map(_ => n))
            : OneByOne(files, next, row => RunOne(domain, files, row, threads, report, $"[{row.Index + 1}/{total}]", results));

    /// <summary>A worker that ended well without a result would have the loop ask for the same trial for ever.</summary>
    static EitherAsync<Problem, Unit> AllWritten(StudyFiles files, List<PlanRow> round, TrialCache results)
        => round.Aggregate(RightAsync<Problem, Unit>(unit), (done, row) => done.Bind(_ => LostIf(files, row, results)));

    static EitherAsync<Problem, Unit> LostIf(StudyFiles files, PlanRow row, TrialCache results)
        => RightAsync<Problem, TrialRow?>(results.Reread(row.TrialId)).Bind(r => r is null
            ? LeftAsync<Problem, Unit>(new Problem($"trial {row.Index} ({row.TrialId}): its worker ended without writing a result",
                $"run it alone to see why: pipeline trial --plan {files.Plan} --index {row.Index}"))
            : RightAsync<Problem, Unit>(unit));

    /// <summary>Runs the trials one after another (a stop request ends the command between two trials); the number
    /// trained now, or the first problem (the trials after it are not run).</summary>
    static EitherAsync<Problem, int> OneByOne(StudyFiles files, IEnumerable<PlanRow> rows, Func<PlanRow, Task<Either<Problem, bool>>> run)
        => rows.ToList().Aggregate(RightAsync<Problem, int>(0), (count, row) => count.Bind(n =>
            (Interrupts.Requested ? Task.FromResult(Left<Problem, bool>(Stopped(files, "no trial was under way"))) : run(row))
                .ToAsync().Map(trained => n + (trained ? 1 : 0))));

    /// <summary>Prepares the data, writes space.parquet and plan.parquet with the search's first round.</summary>
    public static Task<Either<Problem, List<PlanRow>>> Plan(IDomainRunner domain, RunOptions o, Reporter report)
        => Exclusive(o.Out, "plan", report, null, () => PlanHeld(domain, o, report), before: () => Admissible(o));

    static Task<Either<Problem, List<PlanRow>>> PlanHeld(IDomainRunner domain, RunOptions o, Reporter report, TrialCache? cache = null)
        => (from moved in (o.StartOver ? StartOver(new StudyFiles(o.Out), report) : Task.FromResult(Right<Problem, Unit>(unit))).ToAsync()
            from files in RightAsync<Problem, StudyFiles>(Held(new StudyFiles(o.Out)))
            from grid in TorchThread.Run(() => domain.Plan(o, files, report)).ToAsync()
            from space in WriteSpace(domain, files, grid, report).ToAsync()
            from first in Advance(files, report, cache ?? new TrialCache(files, report), announce: false).ToAsync()
            select first.Plan).ToEither();

    /// <summary>The folder's files with what it held before (<see cref="StudyFiles.Holds"/>).</summary>
    static async Task<StudyFiles> Held(StudyFiles files) => files with { Holds = await StudyIdentity.Read(files) };

    /// <summary>Writes space.parquet (the preset's rows and the reserve) and says what it holds.</summary>
    static async Task<Either<Problem, List<PlanRow>>> WriteSpace(IDomainRunner domain, StudyFiles files, List<PlanRow> grid, Reporter report)
    {
        var space = StudySearch.Index(grid);
        if (space.Count == 0) return new Problem($"{domain.Name}: the preset offers no model to train");
        await ParquetTable.Write(files.Space, space);
        var preset = space.Where(r => !r.Reserve).ToList();
        var families = preset.GroupBy(r => r.Family).Select(g => $"{g.Key} ({g.Select(r => r.Model).Distinct().Count()} sizes, " +
            $"{g.Min(r => r.Parameters):N0} to {g.Max(r => r.Parameters):N0} parameters)");
        // the reserve a walk may grow into: models and rates the preset's rows do not have
        var extraModels = space.Select(r => r.Model).Distinct().Where(m => preset.All(p => p.Model != m)).ToList();
        var extraRates = space.Select(r => r.LearningRate).Distinct().Where(l => preset.All(p => p.LearningRate != l)).Order()
            .Select(l => l.ToString("G3", CultureInfo.InvariantCulture)).ToList();
        var reserve = extraModels.Concat(extraRates.Select(l => $"learning rate {l}")).ToList();
        report.Line($"search space: {preset.Count} configurations = {preset.Select(r => r.ShardIndex).Distinct().Count()} shards × " +
                    $"{string.Join(" + ", families)} × {preset.Select(r => r.LearningRate).Distinct().Count()} learning rates; " +
                    $"{domain.Search(space[0].Preset, files).Match(x => x.Seeds, _ => 0)} seeds at each shard's best fit" +
                    (reserve.Count == 0 ? "" : $"; ladders grow when a walk binds at an end, into {string.Join(", ", reserve)}"));
        return space;
    }

    /// <summary>
    /// Replays the search over the finished trials and appends the trials of its next round that plan.parquet lacks
    /// (rows keep their index; new ones are numbered on). Returns the round's trials that have no result yet (empty when
    /// the search has concluded every shard), the plan's length and the plan.
    /// </summary>
    public static Task<Either<Problem, (List<PlanRow> Next, int Total, List<PlanRow> Plan)>> Advance(StudyFiles files, Reporter report, TrialCache? cache = null, bool announce = true)
        => (from rows in ReadSpace(files).ToAsync()
            from domain in DomainRegistry.Find(rows[0].Domain).ToAsync()
            from settings in domain.Search(rows[0].Preset, files).ToAsync()
            from plan in (File.Exists(files.Plan) ? ReadPlan(files) : Task.FromResult(Right<Problem, List<PlanRow>>([]))).ToAsync()
            from results in RightAsync<Problem, TrialCache>((cache ?? new TrialCache(files, report)).Refresh())
            from step in RightAsync<Problem, (List<PlanRow>, int, List<PlanRow>)>(Extend(files, report, rows, domain, settings, plan, results, announce))
            select step).ToEither();

    /// <summary>space.parquet's rows; a missing or empty table says to plan first.</summary>
    static async Task<Either<Problem, List<PlanRow>>> ReadSpace(StudyFiles files)
        => (await ParquetTable.Read<PlanRow>(files.Space)).MapLeft(p => p with { Fix = "run `pipeline plan` first" })
            .Bind(rows => rows.Count == 0 ? Left<Problem, List<PlanRow>>(new Problem($"{files.Space}: no rows", "run `pipeline plan` again")) : rows);

    /// <summary>The replay's next round: new trials appended to plan.parquet, and those of the round without a result.</summary>
    static async Task<(List<PlanRow> Next, int Total, List<PlanRow> Plan)> Extend(StudyFiles files, Reporter report, List<PlanRow> space, IDomainRunner domain,
        Lab.Stages.Search.SearchSettings settings, List<PlanRow> plan, TrialCache results, bool announce)
    {
        string metric = domain.Curves(space)[0].ValMetric;
        var searches = StudySearch.Replay(space, settings, results.Read, metric);
        var known = plan.Select(p => p.TrialId).ToHashSet();
        var earlier = plan.Select(p => (Plan: p, Result: results.Read(p.TrialId))).Where(x => x.Result is not null).Select(x => (x.Plan, x.Result!)).ToList();
        var added = searches.SelectMany(f => f.Visited).Where(r => !known.Contains(r.TrialId)).DistinctBy(r => r.TrialId)
            .Select((r, i) => StudySearch.WithPruning(r, earlier, settings, metric) with { Index = plan.Count + i }).ToList();
        if (added.Count > 0 || !File.Exists(files.Plan))
        {
            plan = [.. plan, .. added];
            await ParquetTable.Write(files.Plan, plan);
        }
        var nextIds = searches.SelectMany(f => f.Next).Select(r => r.TrialId).ToHashSet();
        var next = plan.Where(p => nextIds.Contains(p.TrialId)).ToList();
        if (next.Count > 0 && announce)
            report.Line($"round: {string.Join("; ", searches.Where(f => f.Next.Count > 0).Select(f => $"{f.Family} shard {f.Next[0].ShardIndex}: " +
                string.Join(", ", f.Next.Select(r => r.Replicate > 0 ? $"{r.Model} lr {r.LearningRate:G3} seed {r.Replicate + 1}" : $"{r.Model} lr {r.LearningRate:G3}"))))}");
        return (next, plan.Count, plan);
    }

    static async Task<Either<Problem, List<PlanRow>>> ReadPlan(StudyFiles files) => await ParquetTable.Read<PlanRow>(files.Plan);

    /// <summary>Runs one trial unless it finished before; true when it trained now. The trial is claimed first (its lock
    /// under locks/): a worker that finds it claimed waits for the other to finish, then reads its result — so concurrent
    /// workers never train one trial twice nor write its result twice. A SIGINT/SIGTERM abandons the trial in training
    /// (nothing of it is written) and ends the command with what is kept and how to resume.</summary>
    static Task<Either<Problem, bool>> RunOne(IDomainRunner domain, StudyFiles files, PlanRow row, int threads, Reporter report, string tag, TrialCache results)
        => FolderLock.Take(FolderLock.PathOf(files.Dir, row.TrialId), $"trial {row.Index} ({row.TrialId})", TimeSpan.FromSeconds(1), null,
                holder => report.Line($"{tag} {row.TrialId} is being trained by {holder}; waiting for its result"), Interrupts.Token)
            .Match(held => RunClaimed(held, domain, files, row, threads, report, tag, results),
                _ => Task.FromResult(Left<Problem, bool>(Stopped(files, $"trial {row.Index} ({row.TrialId}) was being trained by another process, not this one"))));

    static async Task<Either<Problem, bool>> RunClaimed(FolderLock held, IDomainRunner domain, StudyFiles files, PlanRow row, int threads, Reporter report, string tag, TrialCache results)
    {
        using var claim = held;
        if (claim.TookOverFrom is { } dead) report.Line($"{tag} {row.TrialId}: taking over from {dead}, which ended without finishing it");
        if (await results.Reread(row.TrialId) is { Outcome: TrialStatus.Ok or TrialStatus.Diverged })
        {
            report.Line($"{tag} {row.TrialId} done before: shard {row.ShardIndex}, {row.Model}, lr {row.LearningRate}");
            return false;
        }
        Either<Problem, TrialRow> result;
        try { result = await TorchThread.Run(() => domain.Trial(row, files, threads, report, tag)); }
        catch (OperationCanceledException) when (Interrupts.Requested)
        {
            return Stopped(files, $"trial {row.Index} ({row.TrialId}: shard {row.ShardIndex}, {row.Model}, lr {row.LearningRate}) was abandoned in training and nothing of it was written");
        }
        return await result.MapAsync(async r =>
        {
            var trial = r with { Threads = threads };
            await ParquetTable.Write(files.Trial(row.TrialId), [trial]);
            results.Remember(trial);
            return true;
        });
    }

    /// <summary>The problem that ends a command stopped by SIGINT/SIGTERM: the trial under way, the results kept, the command to resume.</summary>
    internal static Problem Stopped(StudyFiles files, string trial)
    {
        var dir = files.Trials;
        int kept = Directory.Exists(dir) ? Directory.GetFiles(dir, "*.parquet").Length : 0;
        return Interrupts.Stopped(trial, $"{kept} trial results are kept in {dir}", Interrupts.Command);
    }

    /// <summary>
    /// Runs a command that writes a study's plan while holding the study's lock (locks/study.lock): one such writer per
    /// study folder. Another holder makes it wait up to <paramref name="wait"/> (null: not at all), then refuse with exit
    /// code 4 naming the holder. A lock left by a killed process is free (the kernel released it); taking it over is
    /// said. <paramref name="before"/> runs first (refusals that must not create the folder).
    /// </summary>
    public static async Task<Either<Problem, T>> Exclusive<T>(string dir, string command, Reporter report, TimeSpan? wait,
        Func<Task<Either<Problem, T>>> body, Func<Either<Problem, Unit>>? before = null)
    {
        using var guard = Interrupts.Guard();
        return await (before?.Invoke() ?? unit)
            .Bind(_ => Paths.CheckWritable(dir) is string bad ? Left<Problem, Unit>(new Problem(bad, "choose another --out")) : unit)
            .Bind(_ => FolderLock.Take(FolderLock.PathOf(dir, "study"), command, TimeSpan.FromSeconds(2), wait ?? TimeSpan.Zero,
                    holder => report.Line($"{dir}: in use by {holder}; waiting up to {wait:g}"), Interrupts.Token)
                .MapLeft(holder => new Problem($"{dir}: the study folder is in use by {holder}",
                    "wait for it to finish (or stop it), or give another --out; a lock left by a killed process is taken over by itself") { ExitCode = 4 }))
            .BindAsync(async held =>
            {
                using var study = held;
                if (study.TookOverFrom is { } dead) report.Line($"{dir}: taking over the study from {dead}, which ended without releasing it (killed?)");
                return await body();
            });
    }

    /// <summary>Refusals before a study folder is touched: --out inside the --data folder (the study would read its own
    /// files as data, and its fingerprint would change with every run).</summary>
    static Either<Problem, Unit> Admissible(RunOptions o)
    {
        if (o.Data is not { } data || !Directory.Exists(data)) return unit;
        return Paths.IsInside(o.Out, data)
            ? new Problem($"--out {o.Out} is inside the --data folder {data}: the study would read its own files as data", "give an --out outside the data folder")
            : unit;
    }

    /// <summary>--start-over: moves everything the folder holds (but earlier moves and the locks) into
    /// superseded/&lt;time&gt;-&lt;fingerprint&gt;/, so the new plan starts from nothing and nothing is deleted.</summary>
    static async Task<Either<Problem, Unit>> StartOver(StudyFiles files, Reporter report)
    {
        var entries = Directory.EnumerateFileSystemEntries(files.Dir)
            .Where(e => Path.GetFileName(e) is not (StudyFiles.SupersededFolder or FolderLock.Folder)).ToList();
        if (entries.Count == 0) return unit;
        var held = await StudyIdentity.Read(files);
        string fingerprint = held.Match(h => h.DataFingerprint.Length > 12 ? h.DataFingerprint[..12] : h.DataFingerprint, () => "unknown");
        var target = Path.Combine(files.Dir, StudyFiles.SupersededFolder, $"{DateTime.UtcNow:yyyyMMdd-HHmmss}-{fingerprint}");
        Directory.CreateDirectory(target);
        foreach (var e in entries)
        {
            var to = Path.Combine(target, Path.GetFileName(e));
            if (Directory.Exists(e)) Directory.Move(e, to); else File.Move(e, to);
        }
        report.Line($"--start-over: the earlier study ({entries.Count} files and folders) was moved to {target}");
        return unit;
    }

    /// <summary>`pipeline trial`: runs exactly one trial of a plan (idempotent).</summary>
    public static async Task<Either<Problem, int>> Trial(string planPath, int? index, int threadsOption, Reporter report)
    {
        using var guard = Interrupts.Guard();
        var idx = index ?? (int.TryParse(Environment.GetEnvironmentVariable("SLURM_ARRAY_TASK_ID"), out var t) ? t : (int?)null);
        if (idx is null) return new Problem("no --index and no SLURM_ARRAY_TASK_ID", "give --index N");
        int threads = threadsOption > 0 ? threadsOption
            : int.TryParse(Environment.GetEnvironmentVariable("SLURM_CPUS_PER_TASK"), out var c) ? c : 0;
        var files = StudyFiles.OfPlan(planPath);
        var results = new TrialCache(files, report);
        return await (from rows in ParquetTable.Read<PlanRow>(planPath).ToAsync()
                      from row in rows.Where(r => r.Index == idx).HeadOrNone().ToEither(new Problem($"{planPath}: no trial with index {idx} (the plan has {rows.Count})")).ToAsync()
                      from domain in DomainRegistry.Find(row.Domain).ToAsync()
                      let set = Devices.SetThreads(threads)
                      from trained in RunOne(domain, files, row, threads > 0 ? threads : Environment.ProcessorCount, report, $"[{row.Index + 1}/{rows.Count}]", results).ToAsync()
                      select results.Read(row.TrialId) is { Outcome: TrialStatus.Ok or TrialStatus.Diverged } ? 0 : 1).ToEither();
    }

    /// <summary>The study's own extrapolation test: fitted on all but the two largest points, the mean |ln(predicted /
    /// observed)| at those two (NaN with fewer than five points: three are the least a fit is trusted on).</summary>
    public static double ExtrapolationCheck(IReadOnlyList<CurvePoint> points, AnalysisOptions options)
    {
        if (points.Count < 5) return double.NaN;
        return CurveAnalysis.Run("check", points, options with { HoldoutLast = 2, Resamples = 0, TargetError = null })
            .Match(a => a.Predictions.Filter(p => p.Split == "holdout").Map(p => Math.Abs(Math.Log(p.Predicted / p.Observed))).Average(), _ => double.NaN);
    }

    /// <summary>
    /// `pipeline gather`: unions the trial files of the plan into trials.parquet, replays the search into curve.parquet
    /// (the best-fit model per shard with its seeds' mean, spread and count), fits, writes the report, and lists missing
    /// or failed trials. Safe while trials still run (it only reads finished files). Exit code 0 when the search has
    /// concluded and every trial finished, 1 otherwise.
    /// </summary>
    public static Task<Either<Problem, int>> Gather(StudyFiles files, Reporter report, TimeSpan? elapsed = null, int trained = -1, double? targetError = null)
        => (from rows in ReadPlan(files).ToAsync()
            from spaceRows in ParquetTable.Read<PlanRow>(files.Space).ToAsync()
            from domain in (spaceRows.Count == 0 ? Right<Problem, Option<IDomainRunner>>(None) : DomainRegistry.Find(spaceRows[0].Domain).Map(Some)).ToAsync()
            from settings in domain.Match(d => d.Search(spaceRows[0].Preset, files), () => new Lab.Stages.Search.SearchSettings()).ToAsync()
            from cache in RightAsync<Problem, TrialCache>(new TrialCache(files, report, quiet: true).Refresh())
            from code in RightAsync<Problem, int>(GatherWith(files, report, rows, spaceRows, domain, settings, cache, elapsed ?? TimeSpan.Zero, trained, targetError))
            select code).ToEither();

    static async Task<int> GatherWith(StudyFiles files, Reporter report, List<PlanRow> rows, List<PlanRow> spaceRows, Option<IDomainRunner> found,
        Lab.Stages.Search.SearchSettings settings, TrialCache cache, TimeSpan wall, int trained, double? targetError)
    {
        var results = new List<TrialRow>(); var missing = new List<PlanRow>();
        foreach (var p in rows)
            if (cache.Read(p.TrialId) is { } r) results.Add(r); else missing.Add(p);
        await ParquetTable.Write(Path.Combine(files.Dir, "trials.parquet"), results);
        await ParquetTable.Write(Path.Combine(files.Dir, "metrics.parquet"), results.SelectMany(MetricRow.Of));
        var first = spaceRows.FirstOrDefault();
        var specs = found.Match(d => d.Curves(spaceRows), () => []);
        string primary = specs.Count > 0 ? specs[0].ValMetric : "";
        var searches = specs.Count > 0 ? StudySearch.Replay(spaceRows, settings, cache.Read, primary) : [];
        var curves = specs.Select(spec => (spec, points: StudySearch.Points(searches, spec, cache.Read))).ToList();
        var curve = curves.SelectMany(c => c.points.Select(p => p.Row)).ToList();
        await ParquetTable.Write(Path.Combine(files.Dir, "curve.parquet"), curve);
        var analyses = new List<CurveAnalysis>(); var failures = new List<FitError>();
        var checks = new Dictionary<string, double>();
        foreach (var (spec, points) in curves)
        {
            var input = points.Select(p => p.Point).ToList();
            var options = new AnalysisOptions(BestGuess: double.IsFinite(spec.BestGuess) ? spec.BestGuess : null, Seed: (int)(first?.Seed ?? 17),
                TargetError: spec.ValMetric == primary ? targetError : null);
            CurveAnalysis.Run(spec.Name, input, options).Match(analyses.Add, failures.Add);
            checks[spec.Name] = ExtrapolationCheck(input, options);
        }
        var fitRows = await FitOutputs.Write(files.Dir, analyses, failures, report);
        var compute = Compute.Of(results, spaceRows, settings);
        var study = new StudySummary(first, results, curve, fitRows, specs, found.Match(d => d.SizeUnit, () => ""), wall, trained, compute, searches.All(s => s.State.Finished),
            analyses.SelectMany(FitTables.Requirements).ToList(), checks);
        Summary.Print(report, study);
        AtomicFile.WriteAllText(Path.Combine(files.Dir, "report.md"), Summary.Markdown(study));
        foreach (var m in missing) report.Error($"trial {m.Index} ({m.TrialId}: shard {m.ShardIndex}, {m.Model}, lr {m.LearningRate}) has no result yet");
        foreach (var f in results.Where(r => r.Outcome == TrialStatus.Failed)) report.Error($"trial {f.TrialId} failed: {f.Reason}");
        bool concluded = searches.Count > 0 && searches.All(s => s.State.Finished);
        report.Line($"gather: {results.Count}/{rows.Count} trials finished, {missing.Count} missing, {results.Count(r => r.Outcome == TrialStatus.Failed)} failed" +
                    (concluded ? "; the search has concluded every shard" : "; the search has more rounds to run (`pipeline advance` or `submit`)"));
        return missing.Count == 0 && concluded && results.All(r => r.Outcome != TrialStatus.Failed) ? 0 : 1;
    }
}
