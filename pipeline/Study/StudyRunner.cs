using System.Diagnostics;
using Lab.Fit;
using Lab.Pipeline.Domains;
using Lab.Pipeline.Fitting;
using Lab.Pipeline.Io;
using Lab.Pipeline.Results;
using Lab.Stages.Core;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Lab.Pipeline.Study;

/// <summary>
/// plan → trials → gather, shared by every domain. `pipeline run` is the one-machine path through the same code:
/// plan, then each trial in order (finished ones skipped), then gather. On a cluster each trial is its own job
/// (`pipeline trial --index N`) and gather may run at any time.
/// </summary>
public static class StudyRunner
{
    /// <summary>Plans, runs every trial not yet finished, gathers. Exit code 0, or 1 when a trial failed.</summary>
    public static async Task<Either<Problem, int>> Run(IDomainRunner domain, RunOptions o, Reporter report)
    {
        var clock = Stopwatch.StartNew();
        var files = new StudyFiles(o.Out);
        var planned = await Plan(domain, o, report);
        if (planned.IsLeft) return planned.Map(_ => 0);
        var plan = planned.Match(p => p, _ => []);
        int threads = Devices.SetThreads(o.Threads), trained = 0;
        foreach (var row in plan)
        {
            var tag = $"[{row.Index + 1}/{plan.Count}]";
            var done = await RunOne(domain, files, row, threads, report, tag);
            if (done.IsLeft) return done.Map(_ => 0);
            if (done.Match(t => t, _ => false)) trained++;
        }
        return await Gather(files, report, clock.Elapsed, trained);
    }

    /// <summary>Prepares the data and writes plan.parquet (rows numbered 0..n-1).</summary>
    public static async Task<Either<Problem, List<PlanRow>>> Plan(IDomainRunner domain, RunOptions o, Reporter report)
    {
        if (Paths.CheckWritable(o.Out) is string bad) return new Problem(bad, "choose another --out");
        var files = new StudyFiles(o.Out);
        var rows = domain.Plan(o, files, report).Map(list => list.Select((r, i) => r with { Index = i }).ToList());
        if (rows.IsLeft) return rows;
        var plan = rows.Match(r => r, _ => []);
        await ParquetTable.Write(files.Plan, plan);
        report.Line($"plan: {plan.Count} trials in {files.Plan}");
        return plan;
    }

    /// <summary>Runs one trial unless it finished before; true when it trained now.</summary>
    static async Task<Either<Problem, bool>> RunOne(IDomainRunner domain, StudyFiles files, PlanRow row, int threads, Reporter report, string tag)
    {
        if (await Finished(files, row.TrialId, report) is not null)
        {
            report.Line($"{tag} {row.TrialId} done before: shard {row.ShardIndex}, {row.Model}, lr {row.LearningRate}");
            return false;
        }
        var result = domain.Trial(row, files, threads, report, tag);
        if (result.IsLeft) return result.Map(_ => false);
        await ParquetTable.Write(files.Trial(row.TrialId), [result.Match(r => r, _ => throw new UnreachableException())]);
        return true;
    }

    /// <summary>The trial's result when it finished (ok or diverged); failed trials are tried again.</summary>
    public static async Task<TrialRow?> Finished(StudyFiles files, string id, Reporter report)
    {
        var path = files.Trial(id);
        if (!File.Exists(path)) return null;
        return (await ParquetTable.Read<TrialRow>(path)).Match(
            r => r.Count == 1 && r[0].Status is "ok" or "diverged" ? r[0] : null,
            e => { report.Error($"{e}; the trial will be trained again"); return null; });
    }

    /// <summary>`pipeline trial`: runs exactly one trial of a plan (idempotent).</summary>
    public static async Task<Either<Problem, int>> Trial(string planPath, int? index, int threadsOption, Reporter report)
    {
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
        var done = await RunOne(domain.Match(d => d, _ => throw new UnreachableException()), StudyFiles.OfPlan(planPath), row,
            threads > 0 ? threads : Environment.ProcessorCount, report, $"[{row.Index + 1}/{rows.Count}]");
        if (done.IsLeft) return done.Map(_ => 0);
        var written = await Finished(StudyFiles.OfPlan(planPath), row.TrialId, report);
        return written is null ? 1 : 0;
    }

    /// <summary>
    /// `pipeline gather`: unions the trial files of the plan into trials.parquet, takes the best model per shard into
    /// curve.parquet, fits, writes the report, and lists missing or failed trials. Safe while trials still run (it only
    /// reads finished files). Exit code 0 when every trial finished, 1 otherwise.
    /// </summary>
    public static async Task<Either<Problem, int>> Gather(StudyFiles files, Reporter report, TimeSpan? elapsed = null, int trained = -1)
    {
        var plan = await ParquetTable.Read<PlanRow>(files.Plan);
        if (plan.IsLeft) return plan.Map(_ => 0);
        var rows = plan.Match(p => p, _ => []);
        var results = new List<TrialRow>(); var missing = new List<PlanRow>();
        foreach (var p in rows)
        {
            var path = files.Trial(p.TrialId);
            var r = File.Exists(path) ? await ParquetTable.Read<TrialRow>(path) : Left<Problem, List<TrialRow>>(new Problem("missing"));
            r.Match(x => { if (x.Count == 1) results.Add(x[0]); else missing.Add(p); }, _ => missing.Add(p));
        }
        await ParquetTable.Write(Path.Combine(files.Dir, "trials.parquet"), results);
        var first = rows.FirstOrDefault();
        var domain = first is null ? null : DomainRegistry.Find(first.Domain).Match(d => d, _ => null!);
        var specs = domain?.Curves(rows) ?? [];
        var curves = specs.Select(spec => (spec, rows: Curves.BestPerShard(results, spec))).ToList();
        var curve = curves.SelectMany(c => c.rows).ToList();
        await ParquetTable.Write(Path.Combine(files.Dir, "curve.parquet"), curve);
        var analyses = new List<CurveAnalysis>(); var failures = new List<FitError>();
        foreach (var (spec, points) in curves)
        {
            var (ok, failed) = FitCommand.Analyse([(spec.Name, points.Select(c => new CurvePoint(c.M, c.Error, "fit", c.Params)).ToList())],
                new AnalysisOptions(BestGuess: double.IsFinite(spec.BestGuess) ? spec.BestGuess : null, Seed: (int)(first?.Seed ?? 17)));
            analyses.AddRange(ok); failures.AddRange(failed);
        }
        var fitRows = await FitOutputs.Write(files.Dir, analyses, failures, report);
        var wall = elapsed ?? TimeSpan.Zero;
        Summary.Print(report, results, curve, fitRows, specs, domain?.SizeUnit ?? "", wall, trained);
        AtomicFile.WriteAllText(Path.Combine(files.Dir, "report.md"), Summary.Markdown(first, results, curve, fitRows, specs, domain?.SizeUnit ?? "", wall, trained));
        foreach (var m in missing) report.Error($"trial {m.Index} ({m.TrialId}: shard {m.ShardIndex}, {m.Model}, lr {m.LearningRate}) has no result yet");
        foreach (var f in results.Where(r => r.Status == "failed")) report.Error($"trial {f.TrialId} failed: {f.Reason}");
        report.Line($"gather: {results.Count}/{rows.Count} trials finished, {missing.Count} missing, {results.Count(r => r.Status == "failed")} failed");
        return missing.Count == 0 && results.All(r => r.Status != "failed") ? 0 : 1;
    }
}
