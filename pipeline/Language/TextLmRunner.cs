using Lab.Stages.Language;
using Microsoft.ML.OnnxRuntime;

namespace Lab.Pipeline.Language;

/// <summary>
/// What the text domains (words, characters) share, written once: the plan cuts the text into the domain's units and
/// splits it once (into the study folder) and lists the doubling shards × each family's size ladder × learning rates; a
/// trial trains one model, exports it to ONNX and evaluates the file with ONNX Runtime; re-evaluation and the bench.
/// A text domain gives its name, data, units, metric, presets and default family.
/// </summary>
/// <param name="units">How documents become units (<see cref="TextUnits"/>).</param>
/// <param name="metric">The curves' metric (cross-entropy per word, bits per character).</param>
/// <param name="defaultArch">The family `--arch default` means.</param>
public abstract class TextLmRunner(string name, string defaultData, Func<string, Option<LmPreset>> presets,
    TextUnits units, LmMetric metric, string defaultArch)
    : DomainRunner<LmPreset, LmData, LmModelSpec, LanguageModel>(name, defaultData, units.Counted, presets)
{
    /// <inheritdoc />
    protected override string DefaultArch => defaultArch;
    /// <inheritdoc />
    public override string DataHelp => "a text file or a folder of them";

    /// <inheritdoc />
    public override IReadOnlyList<CurveSpec> Curves(IReadOnlyList<PlanRow> plan)
        => CurvesOf(plan, [(metric.Val, metric.Test, metric.BestGuess(plan.Count > 0 ? plan[0].OutputClasses : 1))]);

    /// <inheritdoc />
    public override Either<Problem, List<PlanRow>> Plan(RunOptions o, StudyFiles files, Reporter report)
    {
        var dataPath = DataPathOf(o);
        return from p in RunPreset(o, (p, models) => p with { Models = models })
               from _ in p.Models.Find(m => m.Invalid is not null)
                   .Match(m => Left<Problem, Unit>(new Problem($"preset '{p.Name}': {m.Invalid}", "remove it from the LSTM entries")),
                          () => Right<Problem, Unit>(unit))
               from docs in TextCorpus.Load(dataPath)
               from data in LmData.Prepare(docs.ToList(), p, o.Seed, units).At(dataPath)
               from shards in Shards.Halving(data.Train.Select(e => e.Length).ToList(), p.Shards, SizeUnit).At(dataPath)
               from space in Space(o, p, dataPath, data, shards, files, report,
                   $"{Name}: {data.TrainTokens:N0} training {SizeUnit}, validation {data.Val.Length:N0}, test {data.Test.Length:N0}, vocabulary {data.Vocab.Size:N0}, data {data.Fingerprint}",
                   data.Vocab.Size, m => m.Parameters(data.Vocab.Size))
               select WithVocabulary(files, data, space);
    }

    /// <inheritdoc />
    protected override void WritePrepared(string path, LmData data) => LmDataFile.Write(path, data);

    /// <summary>The vocabulary beside the study's tables, one unit a line (for a reader; models carry their own).</summary>
    static List<PlanRow> WithVocabulary(StudyFiles files, LmData data, List<PlanRow> space)
    {
        AtomicFile.WriteAllText(Path.Combine(files.Dir, "vocab.txt"), string.Join('\n', data.Vocab.Words) + "\n");
        return space;
    }

    /// <inheritdoc />
    protected override Either<Problem, LmData> ReadPrepared(string path) => LmDataFile.Read(path);

    /// <inheritdoc />
    protected override (LanguageModel Net, TrainOutcome Outcome) Train(TrialContext t, TrainSettings settings, Device device, Action<int, double> progress)
        => LmTraining.Run(t.Data, t.Shard, t.Model, t.Preset, settings, device, progress);

    /// <inheritdoc />
    protected override IReadOnlyList<(string Suffix, byte[] Bytes)> Export(TrialContext t, LanguageModel lm)
        => [("", lm.ToOnnx(Metadata(t.Plan, t.Preset, t.Data, t.Model)).ToByteArray())];

    /// <inheritdoc />
    protected override TrialRow Measure(TrialContext t, InferenceSession[] sessions, TrainOutcome outcome, TrialRow row)
    {
        var val = LmOrtEval.CrossEntropy(sessions[0], t.Data.Val, t.Preset.SeqLen, t.Preset.EvalBatch);
        var test = LmOrtEval.CrossEntropy(sessions[0], t.Data.Test, t.Preset.SeqLen, t.Preset.EvalBatch);
        return (row with
        {
            ValCrossEntropy = val.Nats, ValPerplexity = val.Perplexity, TestCrossEntropy = test.Nats, TestPerplexity = test.Perplexity,
            OrtTorchGap = val.Nats - outcome.BestValidation, OrtEvalUnitsPerSecond = val.TokensPerSecond
        }).WithMetrics(new Dictionary<string, double> { [metric.Val] = metric.Of(val.Nats), [metric.Test] = metric.Of(test.Nats) });
    }

    /// <inheritdoc />
    protected override (int Width, int Depth) Shape(LmModelSpec m) => (m.Hidden, m.Layers);

    /// <inheritdoc />
    /// <remarks>The embedding keeps its ratio to the recurrent width (at least 1).</remarks>
    protected override Option<LmModelSpec> WithWidth(LmModelSpec m, int width)
        => m with { Hidden = width, Embed = Math.Max(1, (int)Math.Round((double)m.Embed * width / m.Hidden)) };

    /// <inheritdoc />
    protected override string Summary(TrialRow row)
        => $"{metric.Val} {row.Metric(metric.Val):F4}, {metric.Test} {row.Metric(metric.Test):F4} (val ppl {row.ValPerplexity:F1})";

    /// <inheritdoc />
    protected override string Progress(double validation) => $"validation {metric.Val} {metric.Of(validation):F4}";

    /// <summary>The model file's metadata_props: enough to rebuild its evaluation set and check it is the same data.</summary>
    Dictionary<string, string> Metadata(PlanRow plan, LmPreset p, LmData data, LmModelSpec model) => TrialKit.Metadata(plan, model.Name, new()
    {
        ["shard_tokens"] = plan.ShardSize.ToString(),
        ["tokenization"] = units.Version,
        ["max_example_tokens"] = p.MaxExampleTokens.ToString(),
        ["val_tokens"] = p.ValTokens.ToString(),
        ["test_tokens"] = p.TestTokens.ToString(),
        ["vocab_size"] = data.Vocab.Size.ToString(),
        ["vocab_sha256"] = data.Vocab.Hash,
        ["vocab"] = string.Join('\n', data.Vocab.Words),
        ["eval_seq_len"] = p.SeqLen.ToString(),
        ["eval_batch"] = p.EvalBatch.ToString(),
        ["eval_protocol"] = "non-overlapping windows of eval_seq_len tokens, state reset per window, mean cross-entropy in nats",
        ["input"] = $"tokens: int64 [seq, batch] (time-major {units.Name} ids)",
        ["output"] = "logits: float [seq, batch, vocab] (next-token scores)"
    });

    LmReeval? reeval;

    /// <inheritdoc />
    public override Either<Problem, Reeval.ReevalMeasurement> Reevaluate(Reeval.ReevalRequest request, Microsoft.ML.OnnxRuntime.InferenceSession session)
        => (reeval ??= new LmReeval(DefaultData, units, metric)).Run(request, session);

    /// <summary>The models the bench measures: the domain's choice (its default preset's ladders, larger ones too).</summary>
    protected abstract IEnumerable<(LmModelSpec Spec, int Vocab)> BenchModels { get; }

    /// <summary>The preset whose trial loop the benchmark's trial_train and trial_train_share run (the default study's).</summary>
    protected abstract LmPreset BenchPreset { get; }

    /// <inheritdoc />
    public override Either<Problem, IEnumerable<BenchCase>> BenchCases(RunOptions o, int threads, Reporter report)
        => Right<Problem, IEnumerable<BenchCase>>(LmBench.Cases(Name, BenchModels, BenchPreset, threads, $"{SizeUnit}/s"));
}
