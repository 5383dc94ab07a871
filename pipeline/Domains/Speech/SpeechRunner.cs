using Lab.Stages.Domains.Speech;
using Microsoft.ML.OnnxRuntime;

namespace Lab.Pipeline.Domains.Speech;

/// <summary>
/// Speech recognition: the plan synthesises the default corpus when no --data is given (<see cref="CorpusGenerator"/>),
/// reads the manifests and audio once into normalised log-mel features and cuts doubling shards in frames (10 ms of
/// audio); a trial trains one CTC recogniser (Deep-Speech-2-like or convolution-only), exports it to ONNX and measures
/// CTC loss per character, character and word error rate of greedy decoding with ONNX Runtime.
/// </summary>
public sealed class SpeechRunner() : DomainRunner<SpeechPreset, SpeechData, SpeechModelSpec, CtcModel>("speech", CorpusGenerator.Root, "frames", SpeechPreset.Shipped.Named)
{
    /// <inheritdoc/>
    protected override string DefaultArch => "ds2";
    /// <inheritdoc/>
    public override string DataHelp => "manifest.jsonl or a folder with train/val/test.jsonl";

    /// <inheritdoc />
    public override IReadOnlyList<CurveSpec> Curves(IReadOnlyList<PlanRow> plan)
        => CurvesOf(plan, [("val_cer", "test_cer", 1.0), ("val_wer", "test_wer", 1.0), ("val_ctc_loss", "test_ctc_loss", Math.Log(plan.Count > 0 ? plan[0].OutputClasses : 2))]);

    static int Threads(int t) => t > 0 ? t : Environment.ProcessorCount;

    /// <summary>The data folder or manifest of a run: --data, or the synthesised corpus of the preset and seed (made now when missing).</summary>
    public static Either<Problem, string> DataPath(RunOptions o, SpeechPreset p, Reporter report)
        => o.Data is not null ? Right<Problem, string>(Path.GetFullPath(o.Data))
            : CorpusGenerator.Ensure(p.Corpus with { Seed = o.Seed }, null, Threads(o.Threads), report).Map(c => c.Dir);

    /// <summary>Synthesises the default corpus of the preset and seed (or finds it made), and prints where it is.</summary>
    public override Either<Problem, int> Prepare(RunOptions o, Reporter report)
        => from p in Preset(o, keep: false)
           from c in CorpusGenerator.Ensure(p.Corpus with { Seed = o.Seed }, null, Threads(o.Threads), report)
           select Done(c, report);

    static int Done(CorpusGenerator.Outcome c, Reporter report) { report.Plain(c.Dir); return 0; }

    /// <inheritdoc />
    public override Either<Problem, List<PlanRow>> Plan(RunOptions o, StudyFiles files, Reporter report)
        => from p in RunPreset(o, (p, models) => p with { Models = models })
           from dataPath in DataPath(o, p, report)
           from data in Load(dataPath, p.ValShare, o.Seed, Threads(o.Threads), report)
           from shards in Shards.Halving(data.Train.Items.Select(u => u.Frames).ToList(), p.Shards, SizeUnit).At(dataPath)
           from space in Space(o, p, dataPath, data, shards, files, report,
               $"speech: {data.Train.Count:N0} training utterances ({Hours(data.Train.Frames)}), validation {data.Val.Count:N0} ({Hours(data.Val.Frames)}), " +
               $"test {data.Test.Count:N0}; alphabet of {data.Vocab.Chars.Length} characters + blank; data {data.Fingerprint}",
               data.Vocab.Size, m => ParameterCount.Of(() => SpeechTraining.Create(m, data.Vocab.Size)))
               select space;

    static string Hours(long frames) => $"{frames / 360_000.0:F2} h";

    /// <inheritdoc />
    protected override string ShardListing(Shard s) => $"{s.Size:N0} ({s.Examples:N0} utt.)";

    /// <inheritdoc />
    protected override void WritePrepared(string path, SpeechData data) => SpeechDataFile.Write(path, data);

    static Either<Problem, SpeechData> Load(string dataPath, double valShare, long seed, int threads, Reporter report, bool trainFeatures = true)
        => from layout in SpeechFiles.Locate(dataPath)
           from splits in SpeechFiles.Splits(layout, valShare, seed)
           from data in report.Step($"computing log-mel features of {splits.Train.Length + splits.Val.Length + splits.Test.Length:N0} utterances",
               _ => SpeechFiles.Prepare(splits.Train, splits.Val, splits.Test, seed, threads, trainFeatures))
           select data;

    /// <inheritdoc />
    protected override Either<Problem, SpeechData> ReadPrepared(string path) => SpeechDataFile.Read(path);

    /// <inheritdoc />
    protected override (CtcModel Net, TrainOutcome Outcome) Train(TrialContext t, TrainSettings settings, Device device, Action<int, double> progress)
        => SpeechTraining.Run(t.Data, t.Shard, t.Model, t.Preset, settings, device, progress);

    /// <inheritdoc />
    protected override IReadOnlyList<(string Suffix, byte[] Bytes)> Export(TrialContext t, CtcModel net)
        => [("", SpeechOnnx.Export(net, Metadata(t.Plan, t.Preset, t.Data, t.Model)).ToByteArray())];

    /// <inheritdoc />
    protected override TrialRow Measure(TrialContext t, InferenceSession[] sessions, TrainOutcome outcome, TrialRow row)
    {
        var val = SpeechOrtEval.Evaluate(sessions[0], t.Data.Val, t.Data.Vocab, t.Preset.EvalBatch);
        var test = SpeechOrtEval.Evaluate(sessions[0], t.Data.Test, t.Data.Vocab, t.Preset.EvalBatch);
        if (val.Infeasible + test.Infeasible > 0)
            t.Report.Line($"{t.Tag} note: {val.Infeasible} validation and {test.Infeasible} test utterances have more characters than {t.Model.Name}'s output steps can align; " +
                          "they are left out of the CTC loss (on both sides of the ORT−torch gap) and count fully in CER and WER");
        return row with
        {
            ValCtcLoss = val.CtcPerChar, TestCtcLoss = test.CtcPerChar, ValCer = val.Cer, TestCer = test.Cer, ValWer = val.Wer, TestWer = test.Wer,
            OrtTorchGap = val.CtcPerChar - outcome.BestValidation, OrtEvalUnitsPerSecond = val.FramesPerSecond
        };
    }

    /// <inheritdoc />
    protected override (int Width, int Depth) Shape(SpeechModelSpec m) => (m.Width, m.Depth);

    /// <inheritdoc />
    protected override Option<SpeechModelSpec> WithWidth(SpeechModelSpec m, int width) => m with { Width = width };

    /// <inheritdoc />
    protected override string Summary(TrialRow row)
        => $"val CER {row.ValCer:P1}, WER {row.ValWer:P1}, CTC {row.ValCtcLoss:F3}; test CER {row.TestCer:P1}";

    /// <inheritdoc />
    protected override string Progress(double validation) => $"validation CTC loss {validation:F4} nats/char";

    /// <inheritdoc />
    protected override string ShardText(Shard shard) => $"{shard.Examples:N0} utterances, {shard.Size / 6000.0:F1} min";

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

    readonly ReevalSets<SpeechData> reevalSets = new();
    readonly Dictionary<CorpusSpec, string> resynthesised = new();

    static string? Existing(string path) => Path.Exists(path) ? path : null;

    /// <summary>Whether the model was trained on a corpus this program synthesised (models before the "corpus" key: by the folder name).</summary>
    static bool Synthesised(IReadOnlyDictionary<string, string> meta)
        => meta.TryGetValue("corpus", out var c) ? c == "synthesised" : meta["data_source"].StartsWith("speech-", StringComparison.Ordinal);

    /// <summary>Rebuilds the validation set from the model's metadata (data, seed, validation share, feature recipe)
    /// and measures CER of greedy decoding with the given session. Data: --data, else the corpus folder the model names
    /// if it is here, else — for a synthesised corpus — the corpus synthesised again from the preset and seed.</summary>
    public override Either<Problem, ReevalMeasurement> Reevaluate(ReevalRequest r, InferenceSession session)
        => from _ in r.Require("preprocessing", "seed", "val_share", "data_source", "alphabet")
           from __ in r.SameVersion("preprocessing", SpeechData.Version, "features")
           from dataPath in ReevalData(r)
           let share = double.Parse(r.Metadata["val_share"], CultureInfo.InvariantCulture)
           from data in reevalSets.Get(r, $"{Path.GetFullPath(dataPath)}|{r.Long("seed")}|{share}",
               () => Load(dataPath, share, r.Long("seed"), Environment.ProcessorCount, new Reporter(quiet: true), trainFeatures: false))
           let vocab = new CharVocab(r.Metadata["alphabet"])
           let val = new SpeechSet(data.Val.Items.Select(u => u with { Labels = vocab.Encode(u.Text) }).ToArray())
           let batch = r.BatchOr(64)
           let result = SpeechOrtEval.Evaluate(session, val, vocab, batch)
           select new ReevalMeasurement("val_cer", result.Cer, data.Val.Frames, batch, result.BatchSeconds, dataPath, data.Fingerprint);

    /// <summary>--data, else the corpus folder the model names when it is here, else a synthesised corpus made again.</summary>
    Either<Problem, string> ReevalData(ReevalRequest r)
    {
        var meta = r.Metadata;
        var here = r.DataPath ?? Existing(Path.Combine(Paths.RepoRoot(), CorpusGenerator.Root, meta["data_source"]))
            ?? (meta.TryGetValue("data_path", out var dp) ? Existing(dp) : null);
        if (here is not null) return here;
        if (!Synthesised(meta)) return new Problem($"{r.ModelPath}: its data '{meta["data_source"]}' is not on this machine", "give it with --data");
        // a synthesised corpus is deterministic: make it again (its fingerprint is checked against the model's) from its
        // preset: a shipped one, or a user's file kept as preset.json in the study the model sits in (<study>/models/)
        var name = meta.GetValueOrDefault("preset", "default");
        var study = Path.GetDirectoryName(Path.GetDirectoryName(r.ModelPath));
        return Preset(name, study is null ? null : new StudyFiles(study))
            .MapLeft(p => new Problem($"{r.ModelPath}: preset '{name}' is neither in this build nor kept in the model's study (../preset.json: {p.What}), so its corpus cannot be synthesised again", "give the corpus with --data"))
            .Bind(p =>
            {
                var spec = p.Corpus with { Seed = r.Long("seed") };
                if (resynthesised.TryGetValue(spec, out var dir)) return Right<Problem, string>(dir);
                return CorpusGenerator.Ensure(spec, null, Environment.ProcessorCount, new Reporter())
                    .Map(made => resynthesised[spec] = made.Dir).MapLeft(e => e with { What = $"{r.ModelPath}: {e.What}" });
            });
    }

    /// <inheritdoc />
    public override Either<Problem, IEnumerable<BenchCase>> BenchCases(RunOptions o, int threads, Reporter report) => Right<Problem, IEnumerable<BenchCase>>(SpeechBench.Cases(threads));
}
