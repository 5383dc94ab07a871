namespace Lab.Pipeline.Study;

/// <summary>What every domain's plan and trials share: plan rows with their content address, the prepared-data cache
/// with its fingerprint check, the common trial-row fields, and the guard that turns a trial's exception into a row.</summary>
public static class TrialKit
{
    /// <summary>A plan row for one trial, its id the hash of everything that determines the result.</summary>
    public static PlanRow PlanRow(string domain, string preset, RunOptions o, string dataPath, string fingerprint, Shard shard,
        string model, string modelSpecJson, double lr, string hyper, int outputClasses, string family = "", long parameters = 0)
    {
        var spec = new TrialSpec(domain, fingerprint, shard.Index, shard.Examples, shard.Size, model, lr, hyper, o.Seed);
        return new PlanRow
        {
            TrialId = spec.Id, Domain = domain, Preset = preset, Seed = o.Seed, DataPath = dataPath, DataFingerprint = fingerprint,
            ShardIndex = shard.Index, ShardExamples = shard.Examples, ShardSize = shard.Size, Model = model, ModelSpec = modelSpecJson,
            LearningRate = lr, Hyper = hyper, Device = o.Device, OutputClasses = outputClasses, Family = family, Parameters = parameters,
            TrainSeed = o.Seed
        };
    }

    /// <summary>
    /// A model file's metadata_props: the keys every domain writes (format version 1 — what `pipeline reeval` reads
    /// first: domain, trial id, model, preset, seed, learning rate, shard, data fingerprint and source) from the plan
    /// row, then the domain's own keys (how to rebuild its evaluation set). A domain key that repeats a common one is
    /// an error.
    /// </summary>
    public static Dictionary<string, string> Metadata(PlanRow plan, string model, Dictionary<string, string> domainKeys)
    {
        var meta = new Dictionary<string, string>
        {
            ["lab.format_version"] = "1",
            ["domain"] = plan.Domain,
            ["trial_id"] = plan.TrialId,
            ["model"] = model,
            ["preset"] = plan.Preset,
            ["seed"] = plan.Seed.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["train_seed"] = plan.TrainSeed.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["learning_rate"] = plan.LearningRate.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
            ["shard_index"] = plan.ShardIndex.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["data_fingerprint"] = plan.DataFingerprint,
            ["data_source"] = Path.GetFileName(plan.DataPath.TrimEnd('/'))
        };
        foreach (var (k, v) in domainKeys) meta.Add(k, v);
        return meta;
    }

    /// <summary>The line a trial reports: the domain's line when it went well, else its status and reason.</summary>
    public static string Outcome(string tag, PlanRow plan, TrialRow row, Func<string> ok)
        => row.Outcome == TrialStatus.Ok ? ok() : $"{tag} shard {plan.ShardIndex} {plan.Model} lr {plan.LearningRate}: {row.Status}: {row.Reason}";

    /// <summary>The study's search space: every shard × model × learning rate, each model on its family's size ladder
    /// with its parameter count (the study's search decides which of them to train).</summary>
    public static List<PlanRow> Grid<TModel>(string domain, string preset, RunOptions o, string dataPath, string fingerprint, Seq<Shard> shards,
        Seq<TModel> models, Func<TModel, string> name, Seq<double> learningRates, string hyper, int outputClasses,
        Func<TModel, string> family, Func<TModel, long> parameters, Seq<TModel> reserveModels = default, Seq<double> reserveRates = default)
    {
        var counts = models.Concat(reserveModels).ToDictionary(name, parameters);
        var extraModels = reserveModels.Map(name).ToHashSet();
        var extraRates = reserveRates.ToHashSet();
        return (from shard in shards
                from model in models.Concat(reserveModels)
                from lr in learningRates.Concat(reserveRates)
                select PlanRow(domain, preset, o, dataPath, fingerprint, shard, name(model), System.Text.Json.JsonSerializer.Serialize(model), lr, hyper,
                    outputClasses, family(model), counts[name(model)]) with { Reserve = extraModels.Contains(name(model)) || extraRates.Contains(lr) }).ToList();
    }

    /// <summary>
    /// How a planned trial trains: the preset's budget, patience, clipping and learning-rate decay on plateau, the trial's
    /// own seed (a further seed of a best-fit configuration has its own), and the pruning the search armed for it; a SIGINT or SIGTERM abandons the training (<see cref="Interrupts"/>).
    /// </summary>
    public static Lab.Stages.Train.TrainSettings Settings(PlanRow plan, Lab.Stages.Search.IPreset p)
        => new(plan.LearningRate, p.MaxEpochs, p.Patience, p.ClipNorm, plan.TrainSeed == 0 ? plan.Seed : plan.TrainSeed, p.DecayPatience, 0.5,
            double.IsFinite(plan.PruneAbove) ? (epoch, best) => epoch >= plan.PruneAfterEpoch && best > plan.PruneAbove : null, Interrupts.Token);

    /// <summary>The models of the families --arch asks for ("default" = the given default, "all" = every family), or a
    /// problem naming the families there are.</summary>
    public static Either<Problem, Seq<T>> Architectures<T>(Seq<T> models, Func<T, string> arch, string asked, string fallback)
    {
        var wanted = asked == "default" ? fallback : asked;
        var known = models.Map(arch).Distinct().ToList();
        if (wanted == "all") return models;
        return known.Contains(wanted) ? Right<Problem, Seq<T>>(models.Filter(m => arch(m) == wanted))
            : Left<Problem, Seq<T>>(new Problem($"unknown architecture '{wanted}'", $"choose {string.Join(", ", known)} or all"));
    }

    /// <summary>The curves of one metric: the best model of any family, and each family alone when there are several
    /// (so comparisons.parquet says whether their exponents differ).</summary>
    public static IEnumerable<CurveSpec> PerArchitecture(string domain, string metric, string test, double bestGuess, IReadOnlyList<string> archs)
    {
        yield return new CurveSpec($"{domain}:{metric}", metric, test, bestGuess);
        if (archs.Count > 1)
            foreach (var a in archs) yield return new CurveSpec($"{domain}/{a}:{metric}", metric, test, bestGuess, a);
    }

    /// <summary>The shard of a plan row.</summary>
    public static Shard Shard(PlanRow plan) => new(plan.ShardIndex, (int)plan.ShardExamples, plan.ShardSize, plan.ShardSize);

    /// <summary>The fields of a trial row that come from its plan row and model.</summary>
    public static TrialRow Row(PlanRow plan, string sizeUnit, string architecture, int width, int depth, Device device) => new()
    {
        TrialId = plan.TrialId, Domain = plan.Domain, Preset = plan.Preset, DataFingerprint = plan.DataFingerprint, ShardIndex = plan.ShardIndex,
        ShardExamples = plan.ShardExamples, ShardSize = plan.ShardSize, SizeUnit = sizeUnit, Model = plan.Model, Architecture = architecture,
        Width = width, Depth = depth, ModelSpec = plan.ModelSpec, LearningRate = plan.LearningRate, Seed = plan.Seed,
        Device = device.type.ToString().ToLowerInvariant(), Family = plan.Family, SizeIndex = plan.SizeIndex, LrIndex = plan.LrIndex,
        Replicate = plan.Replicate, TrainSeed = plan.TrainSeed, Round = plan.Round, Parameters = plan.Parameters
    };

    /// <summary>The row after training: epochs, why it stopped, time, throughput, compute, status and TorchSharp's
    /// validation loss (best, and after each epoch).</summary>
    public static TrialRow Trained(TrialRow row, Lab.Stages.Train.TrainOutcome o, long parameters) => row with
    {
        Parameters = parameters, Epochs = o.Epochs, BestEpoch = o.BestEpoch, TrainSeconds = o.Seconds, TrainUnitsPerSecond = o.UnitsPerSecond,
        ValidationSeconds = o.LoopSeconds - o.Seconds,
        Status = o.Status.Text(), Reason = o.Reason, ValCrossEntropyTorch = o.BestValidation, StoppedBy = o.StoppedBy, LrDecays = o.Decays,
        TrainUnits = o.UnitsSeen, TrainFlops = 6.0 * parameters * o.UnitsSeen,
        ValCurve = string.Join(';', o.ValidationCurve.Map(v => v.ToString("G6", System.Globalization.CultureInfo.InvariantCulture)))
    };

    /// <summary>
    /// The body every domain's trial shares, run under <see cref="Guard"/>: trains under a progress line, records the
    /// training, exports on the CPU, writes the model files atomically (the main graph — suffix "" — last, so its
    /// presence means the trial's graphs are all there), opens one ONNX Runtime session per graph and lets the domain
    /// measure. The row gets the main graph's path and SHA-256.
    /// </summary>
    /// <param name="train">Trains, reporting progress through the callback; returns the model and what training did.</param>
    /// <param name="export">The model's graphs (file suffix, bytes), the main one with suffix "".</param>
    /// <param name="evaluate">Measures with the sessions (in the order of <paramref name="export"/>) and fills the row's metrics.</param>
    /// <param name="sessionThreads">Intra-op threads of a graph's session from its suffix (default: all <paramref name="threads"/>);
    /// a domain that runs several small inferences at once gives those graphs one thread each.</param>
    public static TrialRow TrainExportEvaluate<TNet>(PlanRow plan, TrialRow start, StudyFiles files, int threads, Reporter report, string label,
        Func<Action<string>, (TNet Net, Lab.Stages.Train.TrainOutcome Outcome)> train,
        Func<TNet, IReadOnlyList<(string Suffix, byte[] Bytes)>> export,
        Func<Microsoft.ML.OnnxRuntime.InferenceSession[], Lab.Stages.Train.TrainOutcome, TrialRow, TrialRow> evaluate,
        Func<string, int>? sessionThreads = null) where TNet : TorchSharp.torch.nn.Module
        => Guard(start, row =>
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var (net, outcome) = report.Step(label, train);
            using (net)
            {
                row = Trained(row, outcome, row.Parameters > 0 ? row.Parameters : net.parameters().Sum(t => t.numel()));
                if (outcome.Status != TrialStatus.Ok) return row with { TrialSeconds = clock.Elapsed.TotalSeconds };
                double exported = clock.Elapsed.TotalSeconds;
                net.to(CPU);
                var graphs = export(net);
                var onnxRel = StudyFiles.ModelRelative(plan.TrialId);
                foreach (var (suffix, bytes) in graphs.OrderBy(g => g.Suffix.Length == 0))
                    Io.AtomicFile.WriteAllBytes(Path.Combine(files.Dir, suffix.Length == 0 ? onnxRel : Path.ChangeExtension(onnxRel, suffix)), bytes);
                double evaluated = clock.Elapsed.TotalSeconds;
                var sessions = graphs.Select(g => Lab.Stages.Evaluate.OrtSessions.Open(g.Bytes, sessionThreads?.Invoke(g.Suffix) ?? threads)).ToArray();
                try
                {
                    var main = graphs.First(g => g.Suffix.Length == 0).Bytes;
                    var measured = evaluate(sessions, outcome, row);
                    double end = clock.Elapsed.TotalSeconds;
                    return measured with
                    {
                        OnnxPath = onnxRel, OnnxSha256 = Hashing.Sha256(main), OrtProvider = Lab.Stages.Evaluate.OrtSessions.Current,
                        ExportSeconds = evaluated - exported, EvaluateSeconds = end - evaluated, TrialSeconds = end
                    };
                }
                finally { foreach (var s in sessions) s.Dispose(); }
            }
        });

    /// <summary>Runs a trial's body; a native exception (torch, ONNX Runtime) starts it once more from the beginning (the
    /// body is deterministic for its seed), any other exception or a second failure becomes status "failed" with its
    /// message (recorded, shown, never swallowed); an interrupt (OperationCanceledException) is not the trial's failure and goes up. The row is stamped with its attempts and the time it finished.</summary>
    public static TrialRow Guard(TrialRow start, Func<TrialRow, TrialRow> body)
    {
        string? first = null;
        for (int attempt = 1; ; attempt++)
        {
            TrialRow row;
            try { row = body(start); }
            catch (System.Runtime.InteropServices.ExternalException e) when (attempt == 1)
            {
                first = $"{e.GetType().Name}: {e.Message}";
                continue;
            }
            catch (Exception e) when (e is not (OutOfMemoryException or IOException or UnauthorizedAccessException or OperationCanceledException))
            {
                // a disk that is full or read-only is not the trial's failure: it stops the run (exit code 3) unrecorded
                row = start with { Status = TrialStatus.Failed.Text(), Reason = $"{e.GetType().Name}: {e.Message}" };
            }
            if (first is not null) row = row with { Reason = $"attempt 1 failed ({first}){(row.Reason.Length > 0 ? "; " + row.Reason : "")}" };
            return row with { Attempts = attempt, FinishedAt = DateTime.UtcNow };
        }
    }
}

/// <summary>A domain's prepared data, read once per file version (path, size and write time: a plan made again in the same
/// folder, or a repaired file, is read afresh) and checked against the plan's fingerprint.</summary>
public sealed class PreparedData<T>(string domain, Func<string, Either<Problem, T>> read, Func<T, string> fingerprint)
{
    (string Key, T Data)? loaded;

    /// <summary>The data of the study, or a problem when it is unreadable or not the data the plan was made from.</summary>
    public Either<Problem, T> For(StudyFiles files, PlanRow row)
    {
        var path = files.Prepared(domain);
        var info = new FileInfo(path);
        string key = info.Exists ? $"{info.FullName}|{info.Length}|{info.LastWriteTimeUtc.Ticks}" : "";
        var data = loaded is { } l && l.Key == key && key.Length > 0 ? Right<Problem, T>(l.Data) : read(path).Map(d => { loaded = (key, d); return d; });
        return data.Bind(d => fingerprint(d) == row.DataFingerprint ? Right<Problem, T>(d)
            : Left<Problem, T>(new Problem($"{path}: prepared data {fingerprint(d)} is not the plan's {row.DataFingerprint}", "run `pipeline plan` again")));
    }
}
