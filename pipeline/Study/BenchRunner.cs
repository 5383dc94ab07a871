using Lab.Pipeline.Domains;

namespace Lab.Pipeline.Study;

/// <summary>`pipeline bench`, the same loop for every domain: each measure of each model the domain offers is run once
/// to warm up, then repeated; the table shows the median with the range, bench.parquet keeps every figure with the
/// machine facts.</summary>
public static class BenchRunner
{
    /// <summary>Runs the domain's benchmark.</summary>
    public static async Task<Either<Problem, int>> Run(IDomainRunner domain, RunOptions o, int repeats, Reporter report)
    {
        if (Paths.CheckWritable(o.Out) is string bad) return new Problem(bad, "choose another --out");
        int threads = Devices.SetThreads(o.Threads);
        var machine = Reeval.MachineInfo.Read();
        var ort = Microsoft.ML.OnnxRuntime.OrtEnv.Instance().GetVersionString();
        // on the thread that trains a study's trials, so the figures are those of the loop a trial runs
        var measured = await TorchThread.Run(() => domain.BenchCases(o, threads, report).Map(cases => Measure(domain, cases, o, repeats, threads, machine, ort, report)));
        return await measured
            .Bind(rows => rows.Count > 0 ? Right<Problem, List<BenchRow>>(rows)
                : Left<Problem, List<BenchRow>>(new Problem($"no {domain.Name} benchmark model's name contains '{o.BenchModel}'", "leave out --model to run them all")))
            .MapAsync(async rows =>
            {
                report.Table($"{domain.Name} benchmark ({threads} threads; median of {repeats} after a warm-up, range in brackets)",
                    ["model", "parameters", "measure", "median", "range", "unit"],
                    rows.Select(r => new[] { r.Model, r.Parameters.ToString("N0", CultureInfo.InvariantCulture), r.Measure, F(r.Median), $"[{F(r.Min)}, {F(r.Max)}]", r.Unit }));
                var path = Path.Combine(o.Out, "bench.parquet");
                await ParquetTable.Write(path, rows);
                report.Line($"bench: {rows.Count} figures written to {path}");
                return 0;
            });
    }

    /// <summary>Every measure of the cases --model picks: one warm-up run, then <paramref name="repeats"/> timed ones (call on the torch thread).</summary>
    static List<BenchRow> Measure(IDomainRunner domain, IEnumerable<BenchCase> cases, RunOptions o, int repeats, int threads, Reeval.MachineInfo machine, string ort, Reporter report)
    {
        var rows = new List<BenchRow>();
        foreach (var c in cases.Where(c => o.BenchModel is null || c.Model.Contains(o.BenchModel, StringComparison.Ordinal)))
            foreach (var m in c.Measures)
            {
                m.Once();   // warm-up: first-call allocations, graph optimisation, caches
                var values = Enumerable.Range(0, repeats).Select(_ => m.Once()).Order().ToArray();
                var row = new BenchRow
                {
                    Domain = domain.Name, Model = c.Model, Parameters = c.Parameters, Measure = m.Measure, Unit = m.Unit, Repeats = repeats,
                    Min = values[0], Median = Stages.Core.Statistics.Median(values), Max = values[^1], Threads = threads,
                    CpuModel = machine.CpuModel, CpuCores = machine.CpuCores, GpuName = machine.GpuName, Os = machine.Os, Device = "cpu",
                    OnnxRuntimeVersion = ort, OrtProvider = Lab.Stages.Evaluate.OrtSessions.Current, MeasuredAt = DateTime.UtcNow
                };
                rows.Add(row);
                report.Line($"{c.Model} {m.Measure}: {F(row.Median)} {m.Unit} (median of {repeats}; {F(row.Min)} to {F(row.Max)})");
            }
        return rows;
    }

    static string F(double v) => v.ToString(v >= 100 ? "N0" : "G3", CultureInfo.InvariantCulture);
}
