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

    static async Task<Either<Problem, int>> RunHeld(IDomainRunner domain, RunOptions o, Reporter report)
    {
        var clock = Stopwatch.StartNew();
        var files = new StudyFiles(o.Out);
        var results = new TrialCache(files, report);
        var planned = await PlanHeld(domain, o, report, results);
        if (planned.IsLeft) return planned.Map(_ => 0);
        int threads = Devices.SetThreads(o.Threads), trained = 0;
        // failed trials of an earlier run are tried again first (a failure may have been transient)
        foreach (var row in planned.Match(p => p, _ => []))
            if (results.Read(row.TrialId) is { Outcome: TrialStatus.Failed })
            {
                if (Interrupts.Requested) return Stopped(files, "no trial was under way");
                var again = await RunOne(domain, files, row, threads, report, $"[{row.Index + 1}] again", results);
                if (again.IsLeft) return again.Map(_ => 0);
                trained++;
            }
        while (true)
        {
            var advanced = await Advance(files, report, results);
            if (advanced.IsLeft) return advanced.Map(_ => 0);
            var (next, total) = advanced.Match(a => a, _ => ([], 0));
            if (next.Count == 0) break;
            if (o.Jobs > 1 && next.Count > 1)
            {
                var round = await RoundWorkers.Run(files, next, o.Jobs, threads, o.Provider, report, total);
                if (round.IsLeft) return round.Map(_ => 0);
                // a worker that ended well without a result would have the loop ask for the same trial for ever
                if (next.FirstOrDefault(row => results.Reread(row.TrialId) is null) is { } lost)
                    return new Problem($"trial {lost.Index} ({lost.TrialId}): its worker ended without writing a result",
                        $"run it alone to see why: pipeline trial --plan {files.Plan} --index {lost.Index}");
                trained += round.Match(n => n, _ => 0);
                continue;
            }
            foreach (var row in next)
            {
                if (Interrupts.Requested) return Stopped(files, "no trial was under way");
                var done = await RunOne(domain, files, row, threads, report, $"[{row.Index + 1}/{total}]", results);
                if (done.IsLeft) return done.Map(_ => 0);
                if (done.Match(t => t, _ => false)) trained++;
            }
        }
        return await Gather(files, report, clock.Elapsed, trained, o.TargetError);
    }

    /// <summary>Prepares the data, writes space.parquet and plan.parquet with the search's first round.</summary>
    public static Task<Either<Problem, List<PlanRow>>> Plan(IDomainRunner domain, RunOptions o, Reporter report)
        => Exclusive(o.Out, "plan", report, null, () => PlanHeld(domain, o, report), before: () => Admissible(o));

    static async Task<Either<Problem, List<PlanRow>>> PlanHeld(IDomainRunner domain, RunOptions o, Reporter report, TrialCache? cache = null)
    {
        var files = new StudyFiles(o.Out);
        if (o.StartOver)
        {
            var moved = await StartOver(files, report);
            if (moved.IsLeft) return moved.Map(_ => new List<PlanRow>());
        }
        files = files with { Holds = await StudyIdentity.Read(files) };
        var grid = await TorchThread.Run(() => domain.Plan(o, files, report));
        if (grid.IsLeft) return grid;
        var space = StudySearch.Index(grid.Match(g => g, _ => []));
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
        var advanced = await Advance(files, report, cache ?? new TrialCache(files, report), announce: false);
        if (advanced.IsLeft) return advanced.Map(_ => new List<PlanRow>());
        return await ReadPlan(files);
    }

    /// <summary>
    /// Replays the search over the finished trials and appends the trials of its next round that plan.parquet lacks
    /// (rows keep their index; new ones are numbered on). Returns the round's trials that have no result yet (empty when
    /// the search has concluded every shard) and the plan's length.
    /// </summary>
    public static async Task<Either<Problem, (List<PlanRow> Next, int Total)>> Advance(StudyFiles files, Reporter report, TrialCache? cache = null, bool announce = true)
    {
        var results = cache ?? new TrialCache(files, report);
        var space = await ParquetTable.Read<PlanRow>(files.Space);
        if (space.IsLeft) return space.Map(_ => (new List<PlanRow>(), 0)).MapLeft(p => p with { Fix = "run `pipeline plan` first" });
        var rows = space.Match(s => s, _ => []);
        if (rows.Count == 0) return new Problem($"{files.Space}: no rows", "run `pipeline plan` again");
        var domain = DomainRegistry.Find(rows[0].Domain);
        if (domain.IsLeft) return domain.Map(_ => (new List<PlanRow>(), 0));
        var d = domain.Match(x => x, _ => throw new UnreachableException());
        var found = d.Search(rows[0].Preset, files);
        if (found.IsLeft) return found.Map(_ => (new List<PlanRow>(), 0));
        var settings = found.Match(x => x, _ => throw new UnreachableException());
        string metric = d.Curves(rows)[0].ValMetric;
        var searches = StudySearch.Replay(rows, settings, results.Read, metric);
        var plan = File.Exists(files.Plan) ? (await ReadPlan(files)).Match(p => p, _ => []) : [];
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
        return (next, plan.Count);
    }

    static async Task<Either<Problem, List<PlanRow>>> ReadPlan(StudyFiles files) => await ParquetTable.Read<PlanRow>(files.Plan);

    /// <summary>Runs one trial unless it finished before; true when it trained now. The trial is claimed first (its lock
    /// under locks/): a worker that finds it claimed waits for the other to finish, then reads its result — so concurrent
    /// workers never train one trial twice nor write its result twice. A SIGINT/SIGTERM abandons the trial in training
    /// (nothing of it is written) and ends the command with what is kept and how to resume.</summary>
    static async Task<Either<Problem, bool>> RunOne(IDomainRunner domain, StudyFiles files, PlanRow row, int threads, Reporter report, string tag, TrialCache results)
    {
        var claim = FolderLock.Take(FolderLock.PathOf(files.Dir, row.TrialId), $"trial {row.Index} ({row.TrialId})", TimeSpan.FromSeconds(1), null,
            holder => report.Line($"{tag} {row.TrialId} is being trained by {holder}; waiting for its result"), Interrupts.Token);
        if (claim.IsLeft) return Stopped(files, $"trial {row.Index} ({row.TrialId}) was being trained by another process, not this one");
        using var held = claim.Match(c => c, _ => throw new UnreachableException());
        if (held.TookOverFrom is { } dead) report.Line($"{tag} {row.TrialId}: taking over from {dead}, which ended without finishing it");
        if (results.Reread(row.TrialId) is { Outcome: TrialStatus.Ok or TrialStatus.Diverged })
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
        if (result.IsLeft) return result.Map(_ => false);
        var trial = result.Match(r => r, _ => throw new UnreachableException()) with { Threads = threads };
        await ParquetTable.Write(files.Trial(row.TrialId), [trial]);
        results.Remember(trial);
        return true;
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
        var ok = before?.Invoke() ?? unit;
        if (ok.IsLeft) return ok.Map(_ => default(T)!);
        if (Paths.CheckWritable(dir) is string bad) return new Problem(bad, "choose another --out");
        var taken = FolderLock.Take(FolderLock.PathOf(dir, "study"), command, TimeSpan.FromSeconds(2), wait ?? TimeSpan.Zero,
            holder => report.Line($"{dir}: in use by {holder}; waiting up to {wait:g}"), Interrupts.Token);
        if (taken.IsLeft)
            return new Problem($"{dir}: the study folder is in use by {taken.Match(_ => "", h => h)}",
                "wait for it to finish (or stop it), or give another --out; a lock left by a killed process is taken over by itself") { ExitCode = 4 };
        using var held = taken.Match(l => l, _ => throw new UnreachableException());
        if (held.TookOverFrom is { } dead) report.Line($"{dir}: taking over the study from {dead}, which ended without releasing it (killed?)");
        return await body();
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
        var plan = await ParquetTable.Read<PlanRow>(planPath);
        if (plan.IsLeft) return plan.Map(_ => 0);
        var rows = plan.Match(p => p, _ => []);
        var row = rows.FirstOrDefault(r => r.Index == idx);
        if (row is null) return new Problem($"{planPath}: no trial with index {idx} (the plan has {rows.Count})");
        int threads = threadsOption > 0 ? threadsOption
            : int.TryParse(Environment.GetEnvironmentVariable("SLURM_CPUS_PER_TASK"), out var c) ? c : 0;
        Devices.SetThreads(threads);
        var domain = DomainRegistry.Find(row.Domain);
        if (domain.IsLeft) return domain.Map(_ => 0);
        var files = StudyFiles.OfPlan(planPath);
        var results = new TrialCache(files, report);
        var done = await RunOne(domain.Match(d => d, _ => throw new UnreachableException()), files, row,
            threads > 0 ? threads : Environment.ProcessorCount, report, $"[{row.Index + 1}/{rows.Count}]", results);
        if (done.IsLeft) return done.Map(_ => 0);
        return results.Read(row.TrialId) is { Outcome: TrialStatus.Ok or TrialStatus.Diverged } ? 0 : 1;
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
    public static async Task<Either<Problem, int>> Gather(StudyFiles files, Reporter report, TimeSpan? elapsed = null, int trained = -1, double? targetError = null)
    {
        var plan = await ParquetTable.Read<PlanRow>(files.Plan);
        if (plan.IsLeft) return plan.Map(_ => 0);
        var space = await ParquetTable.Read<PlanRow>(files.Space);
        if (space.IsLeft) return space.Map(_ => 0);
        var rows = plan.Match(p => p, _ => []);
        var spaceRows = space.Match(s => s, _ => []);
        var cache = new TrialCache(files, report, quiet: true);
        var results = new List<TrialRow>(); var missing = new List<PlanRow>();
        foreach (var p in rows)
            if (cache.Read(p.TrialId) is { } r) results.Add(r); else missing.Add(p);
        await ParquetTable.Write(Path.Combine(files.Dir, "trials.parquet"), results);
        await ParquetTable.Write(Path.Combine(files.Dir, "metrics.parquet"), results.SelectMany(MetricRow.Of));
        var first = spaceRows.FirstOrDefault();
        var domain = first is null ? null : DomainRegistry.Find(first.Domain).Match(d => d, _ => null!);
        var specs = domain?.Curves(spaceRows) ?? [];
        var found = domain?.Search(first!.Preset, files);
        if (found is { IsLeft: true }) return found.Value.Map(_ => 0);
        var settings = found?.Match(x => x, _ => throw new UnreachableException()) ?? new Lab.Stages.Search.SearchSettings();
        string primary = specs.Count > 0 ? specs[0].ValMetric : "";
        var searches = specs.Count > 0 ? StudySearch.Replay(spaceRows, settings, cache.Read, primary) : [];
        var curves = specs.Select(spec => (spec, rows: StudySearch.Points(searches, spec, cache.Read))).ToList();
        var curve = curves.SelectMany(c => c.rows).ToList();
        await ParquetTable.Write(Path.Combine(files.Dir, "curve.parquet"), curve);
        var analyses = new List<CurveAnalysis>(); var failures = new List<FitError>();
        var checks = new Dictionary<string, double>();
        foreach (var (spec, points) in curves)
        {
            var input = points.Select(c => new CurvePoint(c.M, c.Error, "fit", c.Params, CurvesFile.Replicates(c.Errors), c.TrainFlops, c.TrainSeconds,
                double.IsFinite(c.ParamsBelow) ? c.ParamsBelow : null, CurvePoint.SizeBoundOf(c.BoundBy))).ToList();
            var options = new AnalysisOptions(BestGuess: double.IsFinite(spec.BestGuess) ? spec.BestGuess : null, Seed: (int)(first?.Seed ?? 17),
                TargetError: spec.ValMetric == primary ? targetError : null);
            var (ok, failed) = FitCommand.Analyse([(spec.Name, input)], options);
            analyses.AddRange(ok); failures.AddRange(failed);
            checks[spec.Name] = ExtrapolationCheck(input, options);
        }
        var fitRows = await FitOutputs.Write(files.Dir, analyses, failures, report);
        var compute = Compute.Of(results, spaceRows, settings);
        var wall = elapsed ?? TimeSpan.Zero;
        var study = new StudySummary(first, results, curve, fitRows, specs, domain?.SizeUnit ?? "", wall, trained, compute, searches.All(s => s.State.Finished),
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
