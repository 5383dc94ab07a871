using Lab.Pipeline.Domains;
using Microsoft.ML.OnnxRuntime;

namespace Lab.Pipeline.Reeval;

/// <summary>The options of `pipeline reeval`.</summary>
public sealed record ReevalOptions(IReadOnlyList<string> Models, string Provider, string? Data, int Batch, string Out, int Threads, bool AllowDifferentData);

/// <summary>
/// `pipeline reeval`: re-evaluates archived ONNX models on this machine. Each model's metadata says how to rebuild its
/// evaluation set; a model whose bytes differ from the SHA-256 recorded in trials.parquet is refused, and so is one
/// whose rebuilt data has another fingerprint (unless --allow-different-data, which the row records). Rows are appended
/// to reevals.parquet. One refused model does not stop the others (exit code 2 at the end).
/// </summary>
public static class ReevalCommand
{
    /// <summary>Metadata format versions this build reads (written as lab.format_version).</summary>
    public static readonly string[] KnownFormats = ["1"];

    sealed record Recorded(string Sha256, TrialRow Row, string TrialsFile);

    /// <summary>Runs the command.</summary>
    public static async Task<Either<Problem, int>> Run(ReevalOptions o, Reporter report)
    {
        var provider = OrtSessions.Resolve(o.Provider);
        if (provider.IsLeft) return provider.Map(_ => 0);
        var prov = provider.Match(p => p, _ => "cpu");
        if (Paths.CheckWritable(o.Out) is string bad) return new Problem(bad, "choose another --out");
        var found = await Discover(o.Models);
        if (found.IsLeft) return found.Map(_ => 0);
        var (models, recorded) = found.Match(f => f, _ => throw new InvalidOperationException());
        int threads = Devices.SetThreads(o.Threads);
        report.Line($"reeval: {models.Count} model(s), ONNX Runtime {OrtEnv.Instance().GetVersionString()}, provider {prov}, {threads} threads");
        var machine = MachineInfo.Read();
        var rows = new List<ReevalRow>();
        int refused = 0;
        foreach (var path in models)
        {
            var row = One(path, recorded, o, prov, threads, machine);
            row.Match(r =>
            {
                rows.Add(r);
                report.Line($"{r.TrialId}: {r.Metric} {r.Value:F6} (recorded {r.RecordedValue:F6}, relative difference {r.RelativeDifference:E1}), {r.ExamplesPerSecond:N0} examples/s, p50 {r.LatencyP50Ms:F1} ms");
            }, p => { refused++; report.Error(p.ToString()); });
        }
        var file = Path.Combine(o.Out, "reevals.parquet");
        var previous = File.Exists(file) ? await ParquetTable.Read<ReevalRow>(file) : Right<Problem, List<ReevalRow>>([]);
        if (previous.IsLeft) return previous.Map(_ => 0);
        await ParquetTable.Write(file, previous.Match(p => p, _ => []).Concat(rows).ToList());
        report.Table($"Re-evaluation on {machine.CpuModel} ({machine.CpuCores} cores{(machine.GpuName.Length > 0 ? ", " + machine.GpuName : "")}), provider {prov}",
            ["trial", "metric", "now", "recorded", "rel. diff", "examples/s", "p50 ms", "p95 ms"],
            rows.Select(r => new[] { r.TrialId, r.Metric, r.Value.ToString("F6"), r.RecordedValue.ToString("F6"), r.RelativeDifference.ToString("E1"),
                r.ExamplesPerSecond.ToString("N0"), r.LatencyP50Ms.ToString("F1"), r.LatencyP95Ms.ToString("F1") }));
        report.Line($"appended {rows.Count} row(s) to {file}");
        return refused == 0 ? 0 : 2;
    }

    static Either<Problem, ReevalRow> One(string path, Dictionary<string, Recorded> recorded, ReevalOptions o, string provider, int threads, MachineInfo machine)
    {
        byte[] bytes;
        try { bytes = File.ReadAllBytes(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return new Problem($"{path}: cannot be read ({e.Message})"); }
        var sha = Hashing.Sha256(bytes);
        InferenceSession session;
        try { session = OrtSessions.Open(bytes, threads, provider); }
        catch (OnnxRuntimeException e) { return new Problem($"{path}: ONNX Runtime cannot load it ({e.Message})"); }
        using (session)
        {
            var meta = session.ModelMetadata.CustomMetadataMap;
            if (!meta.TryGetValue("lab.format_version", out var version))
                return new Problem($"{path}: the model has no lab.format_version metadata, so its evaluation cannot be rebuilt",
                    "only models written by `pipeline run` carry it; was the metadata stripped?");
            if (!KnownFormats.Contains(version))
                return new Problem($"{path}: metadata format version {version} is not one this build reads ({string.Join(", ", KnownFormats)})", "use a newer build of the pipeline");
            foreach (var key in new[] { "domain", "trial_id", "data_fingerprint" })
                if (!meta.ContainsKey(key)) return new Problem($"{path}: metadata lacks '{key}'");
            var trial = meta["trial_id"];
            var rec = recorded.GetValueOrDefault(trial);
            if (rec is not null && rec.Sha256.Length > 0 && rec.Sha256 != sha)
                return new Problem($"{path}: SHA-256 {sha[..12]}… differs from {rec.Sha256[..12]}… recorded in {rec.TrialsFile} for trial {trial}: the file changed after training; refused");
            return from runner in DomainRegistry.Find(meta["domain"])
                   from m in runner.Reevaluate(new ReevalRequest(path, meta, o.Data, o.Batch), session)
                   from _ in m.FingerprintFound == meta["data_fingerprint"] || o.AllowDifferentData
                       ? Right<Problem, Unit>(unit)
                       : Left<Problem, Unit>(new Problem($"{path}: the data at {m.DataPath} has fingerprint {m.FingerprintFound}, the model was trained and measured on {meta["data_fingerprint"]}; refused",
                           "pass --allow-different-data to evaluate on it anyway (the row records it)"))
                   select Row(path, sha, meta, rec, m, provider, machine, o.AllowDifferentData && m.FingerprintFound != meta["data_fingerprint"]);
        }
    }

    static ReevalRow Row(string path, string sha, IReadOnlyDictionary<string, string> meta, Recorded? rec, ReevalMeasurement m, string provider, MachineInfo machine, bool differentData)
    {
        var lat = m.BatchSeconds.Order().ToArray();
        double recordedValue = rec?.Row.Metric(m.Metric) ?? double.NaN;
        return new ReevalRow
        {
            ModelPath = Path.GetFullPath(path), ModelSha256 = sha, TrialId = meta["trial_id"], Domain = meta["domain"], FormatVersion = meta["lab.format_version"],
            Metric = m.Metric, Value = m.Value, RecordedValue = recordedValue, Difference = m.Value - recordedValue,
            RelativeDifference = ReevalRow.Relative(m.Value, recordedValue), Examples = m.Examples,
            ExamplesPerSecond = m.Examples / Math.Max(1e-12, m.BatchSeconds.Sum()), Batch = m.Batch,
            LatencyP50Ms = 1000 * Lab.Fit.CurveFitter.Quantile(lat, 0.5), LatencyP95Ms = 1000 * Lab.Fit.CurveFitter.Quantile(lat, 0.95),
            Provider = provider, OnnxRuntimeVersion = OrtEnv.Instance().GetVersionString(), CpuModel = machine.CpuModel, CpuCores = machine.CpuCores,
            GpuName = machine.GpuName, GpuDriver = machine.GpuDriver, Os = machine.Os, DataPath = Path.GetFullPath(m.DataPath),
            DataFingerprintRecorded = meta["data_fingerprint"], DataFingerprintFound = m.FingerprintFound, DifferentDataAllowed = differentData,
            ReevaluatedAt = DateTime.UtcNow
        };
    }

    /// <summary>ONNX files from the given files, folders and trials.parquet files, and what trials.parquet recorded for them.</summary>
    static async Task<Either<Problem, (List<string>, Dictionary<string, Recorded>)>> Discover(IReadOnlyList<string> inputs)
    {
        var models = new List<string>();
        var trialsFiles = new System.Collections.Generic.HashSet<string>();
        foreach (var input in inputs)
        {
            if (Directory.Exists(input))
            {
                // a translation model's encoder and decoder-step graphs travel with its scoring graph; they are not models of their own
                var found = Directory.EnumerateFiles(input, "*.onnx", SearchOption.AllDirectories)
                    .Where(f => !f.EndsWith(".encoder.onnx", StringComparison.Ordinal) && !f.EndsWith(".step.onnx", StringComparison.Ordinal))
                    .Order(StringComparer.Ordinal).ToList();
                if (found.Count == 0) return new Problem($"{input}: the folder holds no .onnx files");
                models.AddRange(found);
            }
            else if (input.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase) && File.Exists(input)) trialsFiles.Add(Path.GetFullPath(input));
            else if (input.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase) && File.Exists(input)) models.Add(input);
            else return new Problem($"{input}: not an .onnx file, a folder of them or a trials.parquet", "check --models");
        }
        // a model under <run>/models/ was recorded in <run>/trials.parquet
        foreach (var m in models)
        {
            var run = Path.GetDirectoryName(Path.GetDirectoryName(Path.GetFullPath(m)));
            if (run is not null && File.Exists(Path.Combine(run, "trials.parquet"))) trialsFiles.Add(Path.Combine(run, "trials.parquet"));
        }
        var recorded = new Dictionary<string, Recorded>();
        foreach (var tf in trialsFiles)
        {
            var rows = await ParquetTable.Read<TrialRow>(tf);
            if (rows.IsLeft) return rows.Map(_ => (models, recorded));
            foreach (var r in rows.Match(x => x, _ => []).Where(r => r.OnnxPath.Length > 0))
            {
                recorded[r.TrialId] = new Recorded(r.OnnxSha256, r, tf);
                if (inputs.Any(i => Path.GetFullPath(i) == tf)) models.Add(Path.Combine(Path.GetDirectoryName(tf)!, r.OnnxPath));
            }
        }
        return (models.Distinct().ToList(), recorded);
    }
}
