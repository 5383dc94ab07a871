using Google.Protobuf;
using Lab.Pipeline.Reeval;
using Lab.Stages.Domains.Speech;
using Microsoft.ML.OnnxRuntime;
using TorchSharp;
using static TorchSharp.torch;

namespace Lab.Pipeline.Domains.Speech;

/// <summary>
/// Speech recognition: the plan synthesises the default corpus when no --data is given (<see cref="CorpusGenerator"/>),
/// reads the manifests and audio once into normalised log-mel features and cuts doubling shards in frames (10 ms of
/// audio); a trial trains one CTC recogniser (Deep-Speech-2-like or convolution-only), exports it to ONNX and measures
/// CTC loss per character, character and word error rate of greedy decoding with ONNX Runtime.
/// </summary>
public sealed class SpeechRunner() : DomainRunner<SpeechPreset, SpeechData, SpeechModelSpec>("speech", CorpusGenerator.Root, "frames", SpeechPreset.Named)
{
    static readonly (string Metric, string Test)[] Metrics = [("val_cer", "test_cer"), ("val_wer", "test_wer"), ("val_ctc_loss", "test_ctc_loss")];

    /// <inheritdoc />
    public override IReadOnlyList<CurveSpec> Curves(IReadOnlyList<PlanRow> plan)
    {
        var archs = plan.Select(p => JsonSerializer.Deserialize<SpeechModelSpec>(p.ModelSpec)!.Arch).Distinct().Order().ToList();
        double Guess(string m) => m == "val_ctc_loss" ? Math.Log(plan.Count > 0 ? plan[0].OutputClasses : 2) : 1.0;
        return Metrics.SelectMany(m => TrialKit.PerArchitecture("speech", m.Metric, m.Test, Guess(m.Metric), archs)).ToList();
    }

    static int Threads(int t) => t > 0 ? t : Environment.ProcessorCount;

    /// <summary>The data folder or manifest of a run: --data, or the synthesised corpus of the preset and seed (made now when missing).</summary>
    public static Either<Problem, string> DataPath(RunOptions o, SpeechPreset p, Reporter report)
        => o.Data is not null ? Right<Problem, string>(Path.GetFullPath(o.Data))
            : CorpusGenerator.Ensure(p.Corpus with { Seed = o.Seed }, null, Threads(o.Threads), report).Map(c => c.Dir);

    /// <summary>Synthesises the default corpus of the preset and seed (or finds it made), and prints where it is.</summary>
    public override Either<Problem, int> Prepare(RunOptions o, Reporter report)
        => from p in Preset(o.Preset)
           from c in CorpusGenerator.Ensure(p.Corpus with { Seed = o.Seed }, null, Threads(o.Threads), report)
           select Done(c, report);

    static int Done(CorpusGenerator.Outcome c, Reporter report) { report.Plain(c.Dir); return 0; }

    /// <inheritdoc />
    public override Either<Problem, List<PlanRow>> Plan(RunOptions o, StudyFiles files, Reporter report)
        => from p0 in Preset(o.Preset)
           from models in TrialKit.Architectures(p0.Models, m => m.Arch, o.Arch, "ds2")
           let p = p0 with { Models = models }
           from _ in Devices.Choose(o.Device)
           from dataPath in DataPath(o, p, report)
           from data in Load(dataPath, p.ValShare, o.Seed, Threads(o.Threads), report)
           from shards in Shards.Halving(data.Train.Items.Select(u => u.Frames).ToList(), p.Shards, "frames")
               .MapLeft(e => e with { What = $"{dataPath}: {e.What}" })
           select PlanRows(o, p, data, shards, dataPath, files, report);

    static Either<Problem, SpeechData> Load(string dataPath, double valShare, long seed, int threads, Reporter report, bool trainFeatures = true)
        => from layout in SpeechFiles.Locate(dataPath)
           from splits in SpeechFiles.Splits(layout, valShare, seed)
           from data in report.Step($"computing log-mel features of {splits.Train.Length + splits.Val.Length + splits.Test.Length:N0} utterances",
               _ => SpeechFiles.Prepare(splits.Train, splits.Val, splits.Test, seed, threads, trainFeatures))
           select data;

    List<PlanRow> PlanRows(RunOptions o, SpeechPreset p, SpeechData data, Seq<Shard> shards, string dataPath, StudyFiles files, Reporter report)
    {
        static string Hours(long frames) => $"{frames / 360_000.0:F2} h";
        report.Line($"speech: {data.Train.Count:N0} training utterances ({Hours(data.Train.Frames)}), validation {data.Val.Count:N0} ({Hours(data.Val.Frames)}), " +
                    $"test {data.Test.Count:N0}; alphabet of {data.Vocab.Chars.Length} characters + blank; data {data.Fingerprint}");
        report.Line($"shards (frames of 10 ms): {string.Join(", ", shards.Map(s => $"{s.Size:N0} ({s.Examples:N0} utt.)"))}");
        SpeechDataFile.Write(files.Prepared(Name), data);
        return TrialKit.Grid(Name, p.Name, o, dataPath, data.Fingerprint, shards, p.Models, m => m.Name, p.LearningRates, p.Hyper, data.Vocab.Size,
            m => m.Arch, m => TrialKit.CountParameters(() => SpeechTraining.Create(m, data.Vocab.Size)));
    }

    /// <inheritdoc />
    protected override Either<Problem, SpeechData> ReadPrepared(string path) => SpeechDataFile.Read(path);

    /// <inheritdoc />
    protected override TrialRow RunTrial(PlanRow plan, SpeechPreset p, SpeechData data, SpeechModelSpec model, Device device, int threads, StudyFiles files, Reporter report, string tag)
    {
        var shard = TrialKit.Shard(plan);
        var settings = TrialKit.Settings(plan, p.MaxEpochs, p.Patience, p.ClipNorm);
        var row = TrialKit.TrainExportEvaluate(plan, TrialKit.Row(plan, SizeUnit, model.Arch, model.Width, model.Depth, device), files, threads, report,
            $"{tag} training {model.Name} on shard {shard.Index} ({shard.Examples:N0} utterances)",
            status => SpeechTraining.Run(data, shard, model, p, settings, device,
                (epoch, val) => status($"epoch {epoch}/{p.MaxEpochs}, validation CTC loss {val:F4} nats/char")),
            net => [("", SpeechOnnx.Export(net, Metadata(plan, p, data, model)).ToByteArray())],
            (sessions, outcome, row) =>
            {
                var val = SpeechOrtEval.Evaluate(sessions[0], data.Val, data.Vocab, p.EvalBatch);
                var test = SpeechOrtEval.Evaluate(sessions[0], data.Test, data.Vocab, p.EvalBatch);
                if (val.Infeasible + test.Infeasible > 0)
                    report.Line($"{tag} note: {val.Infeasible} validation and {test.Infeasible} test utterances have more characters than {model.Name}'s output steps can align; " +
                                "they are left out of the CTC loss (on both sides of the ORT−torch gap) and count fully in CER and WER");
                return row with
                {
                    ValCtcLoss = val.CtcPerChar, TestCtcLoss = test.CtcPerChar, ValCer = val.Cer, TestCer = test.Cer, ValWer = val.Wer, TestWer = test.Wer,
                    OrtTorchGap = val.CtcPerChar - outcome.BestValidation, OrtEvalUnitsPerSecond = val.FramesPerSecond
                };
            });
        report.Line(TrialKit.Outcome(tag, plan, row, () =>
            $"{tag} shard {shard.Index} ({shard.Size / 6000.0:F1} min) {model.Name} lr {plan.LearningRate}: val CER {row.ValCer:P1}, WER {row.ValWer:P1}, CTC {row.ValCtcLoss:F3}; test CER {row.TestCer:P1}; {row.Epochs} epochs, {row.TrainSeconds:F0} s, {row.TrainUnitsPerSecond:N0} frames/s, ORT−torch {row.OrtTorchGap:E1}"));
        return row;
    }

    static Dictionary<string, string> Metadata(PlanRow plan, SpeechPreset p, SpeechData data, SpeechModelSpec model) => TrialKit.Metadata(plan, model.Name, new()
    {
        ["architecture"] = model.Arch,
        ["shard_frames"] = plan.ShardSize.ToString(CultureInfo.InvariantCulture),
        ["data_path"] = plan.DataPath,
        ["corpus"] = File.Exists(Path.Combine(plan.DataPath, "corpus.json")) ? "synthesised" : "given",
        ["val_share"] = p.ValShare.ToString("R", CultureInfo.InvariantCulture),
        ["preprocessing"] = SpeechData.Version,
        ["alphabet"] = data.Vocab.Chars,
        ["eval_batch"] = p.EvalBatch.ToString(CultureInfo.InvariantCulture),
        ["decoding"] = "greedy CTC (arg-max per step, repeats merged, blanks dropped); blank = 0, class k = alphabet[k-1]",
        ["input"] = "features: float [batch, frames, 80] log-mel (25 ms / 10 ms, HTK mel, ln) standardised per utterance and bin, zero past each length; lengths: int64 [batch] frames",
        ["output"] = "log_probs: float [steps, batch, classes]; out_lengths: int64 [batch]"
    });

    readonly Dictionary<string, SpeechData> reevalCache = new();
    readonly Dictionary<CorpusSpec, string> resynthesised = new();

    static string? Existing(string path) => Path.Exists(path) ? path : null;

    /// <summary>Whether the model was trained on a corpus this program synthesised (models before the "corpus" key: by the folder name).</summary>
    static bool Synthesised(IReadOnlyDictionary<string, string> meta)
        => meta.TryGetValue("corpus", out var c) ? c == "synthesised" : meta["data_source"].StartsWith("speech-", StringComparison.Ordinal);

    /// <summary>Rebuilds the validation set from the model's metadata (data, seed, validation share, feature recipe)
    /// and measures CER of greedy decoding with the given session. Data: --data, else the corpus folder the model names
    /// if it is here, else — for a synthesised corpus — the corpus synthesised again from the preset and seed.</summary>
    public override Either<Problem, ReevalMeasurement> Reevaluate(ReevalRequest r, InferenceSession session)
    {
        var meta = r.Metadata;
        foreach (var key in new[] { "preprocessing", "seed", "val_share", "data_source", "alphabet" })
            if (!meta.ContainsKey(key)) return new Problem($"{r.ModelPath}: metadata lacks '{key}', needed to rebuild the evaluation set");
        if (meta["preprocessing"] != SpeechData.Version)
            return new Problem($"{r.ModelPath}: features {meta["preprocessing"]} are not this build's {SpeechData.Version}");
        var dataPath = r.DataPath ?? Existing(Path.Combine(Paths.RepoRoot(), CorpusGenerator.Root, meta["data_source"]))
            ?? (meta.TryGetValue("data_path", out var dp) ? Existing(dp) : null);
        if (dataPath is null && Synthesised(meta))
        {
            // a synthesised corpus is deterministic: make it again (its fingerprint is checked against the model's)
            var preset = SpeechPreset.Named(meta.GetValueOrDefault("preset", "default"));
            if (preset.IsNone) return new Problem($"{r.ModelPath}: preset '{meta.GetValueOrDefault("preset", "")}' is not in this build, so its corpus cannot be synthesised again", "give the corpus with --data");
            var spec = preset.Match(p => p, () => SpeechPreset.Default).Corpus with { Seed = long.Parse(meta["seed"], CultureInfo.InvariantCulture) };
            if (!resynthesised.TryGetValue(spec, out var dir))
            {
                var made = CorpusGenerator.Ensure(spec, null, Environment.ProcessorCount, new Reporter());
                if (made.IsLeft) return made.Map(_ => (ReevalMeasurement)null!).MapLeft(p => p with { What = $"{r.ModelPath}: {p.What}" });
                resynthesised[spec] = dir = made.Match(o => o.Dir, _ => "");
            }
            dataPath = dir;
        }
        if (dataPath is null)
            return new Problem($"{r.ModelPath}: its data '{meta["data_source"]}' is not on this machine", "give it with --data");
        long seed = long.Parse(meta["seed"], CultureInfo.InvariantCulture);
        double share = double.Parse(meta["val_share"], CultureInfo.InvariantCulture);
        var cacheKey = $"{Path.GetFullPath(dataPath)}|{seed}|{share}";
        if (!reevalCache.TryGetValue(cacheKey, out var data))
        {
            var loaded = Load(dataPath, share, seed, Environment.ProcessorCount, new Reporter(quiet: true), trainFeatures: false);
            if (loaded.IsLeft) return loaded.Map(_ => (ReevalMeasurement)null!).MapLeft(p => p with { What = $"{r.ModelPath}: {p.What}" });
            data = loaded.Match(d => d, _ => throw new InvalidOperationException());
            reevalCache[cacheKey] = data;
        }
        var vocab = new CharVocab(meta["alphabet"]);
        var val = new SpeechSet(data.Val.Items.Select(u => u with { Labels = vocab.Encode(u.Text) }).ToArray());
        int batch = r.Batch > 0 ? r.Batch : int.Parse(meta.GetValueOrDefault("eval_batch", "64"), CultureInfo.InvariantCulture);
        var result = SpeechOrtEval.Evaluate(session, val, vocab, batch);
        return new ReevalMeasurement("val_cer", result.Cer, data.Val.Frames, batch, result.BatchSeconds, dataPath, data.Fingerprint);
    }

    /// <inheritdoc />
    public override Either<Problem, IEnumerable<BenchCase>> BenchCases(RunOptions o, int threads, Reporter report) => Right<Problem, IEnumerable<BenchCase>>(SpeechBench.Cases(threads));
}
