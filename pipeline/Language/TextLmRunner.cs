using Google.Protobuf;
using Lab.Stages.Language;
using TorchSharp;
using static TorchSharp.torch;

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
    : DomainRunner<LmPreset, LmData, LmModelSpec>(name, defaultData, units.Counted, presets)
{
    /// <inheritdoc />
    public override IReadOnlyList<CurveSpec> Curves(IReadOnlyList<PlanRow> plan)
    {
        var archs = plan.Select(p => JsonSerializer.Deserialize<LmModelSpec>(p.ModelSpec)!.Arch).Distinct().Order().ToList();
        return TrialKit.PerArchitecture(Name, metric.Val, metric.Test, metric.BestGuess(plan.Count > 0 ? plan[0].OutputClasses : 1), archs).ToList();
    }

    /// <inheritdoc />
    public override Either<Problem, List<PlanRow>> Plan(RunOptions o, StudyFiles files, Reporter report)
    {
        var dataPath = DataPathOf(o);
        var prepared = from p0 in Preset(o.Preset)
                       from models in TrialKit.Architectures(p0.Models, m => m.Arch, o.Arch, defaultArch)
                       let p = p0 with { Models = models }
                       from _ in Devices.Choose(o.Device)
                       from docs in TextCorpus.Load(dataPath)
                       from data in LmData.Prepare(docs.ToList(), p, o.Seed, units).MapLeft(e => e with { What = $"{dataPath}: {e.What}" })
                       from shards in Shards.Halving(data.Train.Select(e => e.Length).ToList(), p.Shards, SizeUnit).MapLeft(e => e with { What = $"{dataPath}: {e.What}" })
                       select (p, data, shards);
        return prepared.Map(t =>
        {
            var (p, data, shards) = t;
            report.Line($"{Name}: {data.TrainTokens:N0} training {SizeUnit}, validation {data.Val.Length:N0}, test {data.Test.Length:N0}, vocabulary {data.Vocab.Size:N0}, data {data.Fingerprint}");
            report.Line($"shards ({SizeUnit}): {string.Join(", ", shards.Map(s => s.Size.ToString("N0")))}");
            LmDataFile.Write(files.Prepared(Name), data);
            AtomicFile.WriteAllText(Path.Combine(files.Dir, "vocab.txt"), string.Join('\n', data.Vocab.Words) + "\n");
            return TrialKit.Grid(Name, p.Name, o, dataPath, data.Fingerprint, shards, p.Models, m => m.Name, p.LearningRates, p.Hyper, data.Vocab.Size,
                m => m.Arch, m => m.Parameters(data.Vocab.Size));
        });
    }

    /// <inheritdoc />
    protected override Either<Problem, LmData> ReadPrepared(string path) => LmDataFile.Read(path);

    /// <inheritdoc />
    protected override TrialRow RunTrial(PlanRow plan, LmPreset p, LmData data, LmModelSpec model, Device device, int threads, StudyFiles files, Reporter report, string tag)
    {
        var shard = TrialKit.Shard(plan);
        var start = TrialKit.Row(plan, SizeUnit, model.Arch, model.Hidden, model.Layers, device);
        var settings = TrialKit.Settings(plan, p.MaxEpochs, p.Patience, p.ClipNorm);
        var row = TrialKit.TrainExportEvaluate(plan, start, files, threads, report,
            $"{tag} training {model.Name} on shard {shard.Index} ({shard.Size:N0} {SizeUnit})",
            status => LmTraining.Run(data, shard, model, p, settings, device,
                (epoch, val) => status($"epoch {epoch}/{p.MaxEpochs}, validation {metric.Val} {metric.Of(val):F4}")),
            lm => [("", lm.ToOnnx(Metadata(plan, p, data, model)).ToByteArray())],
            (sessions, outcome, row) =>
            {
                var val = LmOrtEval.CrossEntropy(sessions[0], data.Val, p.SeqLen, p.EvalBatch);
                var test = LmOrtEval.CrossEntropy(sessions[0], data.Test, p.SeqLen, p.EvalBatch);
                return (row with
                {
                    ValCrossEntropy = val.Nats, ValPerplexity = val.Perplexity, TestCrossEntropy = test.Nats, TestPerplexity = test.Perplexity,
                    OrtTorchGap = val.Nats - outcome.BestValidation, OrtEvalUnitsPerSecond = val.TokensPerSecond
                }).WithMetrics(new Dictionary<string, double> { [metric.Val] = metric.Of(val.Nats), [metric.Test] = metric.Of(test.Nats) });
            });
        report.Line(TrialKit.Outcome(tag, plan, row, () =>
            $"{tag} shard {shard.Index} ({shard.Size:N0} {SizeUnit}) {model.Name} lr {plan.LearningRate}: {metric.Val} {row.Metric(metric.Val):F4}, {metric.Test} {row.Metric(metric.Test):F4} (val ppl {row.ValPerplexity:F1}), {row.Epochs} epochs, {row.TrainSeconds:F1} s, {row.TrainUnitsPerSecond:N0} {SizeUnit}/s, ORT−torch {row.OrtTorchGap:E1}"));
        return row;
    }

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

    /// <inheritdoc />
    public override Either<Problem, IEnumerable<BenchCase>> BenchCases(RunOptions o, int threads, Reporter report)
        => Right<Problem, IEnumerable<BenchCase>>(LmBench.Cases(Name, BenchModels, threads, $"{SizeUnit}/s"));
}
