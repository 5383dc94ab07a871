using System.Diagnostics;
using Google.Protobuf;
using Lab.Stages.Domains.Lm;
using TorchSharp;
using static TorchSharp.torch;

namespace Lab.Pipeline.Domains.Lm;

/// <summary>
/// Word-level language modelling: the plan tokenises and splits the text once (into the study folder) and cuts the
/// doubling shards; a trial trains one model × learning rate on one shard, exports it to ONNX and evaluates the file
/// with ONNX Runtime.
/// </summary>
public sealed class LmRunner() : DomainRunner<LmPreset, LmData, LmModelSpec>("lm", "data/lm/gutenberg.txt.gz", SizeUnitName)
{
    const string SizeUnitName = "tokens";

    /// <inheritdoc />
    public override IReadOnlyList<CurveSpec> Curves(IReadOnlyList<PlanRow> plan) =>
        [new CurveSpec("lm:val_cross_entropy", "val_cross_entropy", "test_cross_entropy", Math.Log(plan.Count > 0 ? plan[0].OutputClasses : 1))];

    /// <inheritdoc />
    public override Either<Problem, List<PlanRow>> Plan(RunOptions o, StudyFiles files, Reporter report)
    {
        var dataPath = DataPathOf(o);
        var prepared = from p in Preset(o.Preset)
                       from _ in Devices.Choose(o.Device)
                       from docs in TextCorpus.Load(dataPath)
                       from data in LmData.Prepare(docs.ToList(), p, o.Seed).MapLeft(e => e with { What = $"{dataPath}: {e.What}" })
                       from shards in Shards.Halving(data.Train.Select(e => e.Length).ToList(), p.Shards, "tokens").MapLeft(e => e with { What = $"{dataPath}: {e.What}" })
                       select (p, data, shards);
        return prepared.Map(t =>
        {
            var (p, data, shards) = t;
            report.Line($"lm: {data.TrainTokens:N0} training tokens, validation {data.Val.Length:N0}, test {data.Test.Length:N0}, vocabulary {data.Vocab.Size:N0}, data {data.Fingerprint}");
            report.Line($"shards (tokens): {string.Join(", ", shards.Map(s => s.Size.ToString("N0")))}");
            LmDataFile.Write(files.Prepared(Name), data);
            AtomicFile.WriteAllText(Path.Combine(files.Dir, "vocab.txt"), string.Join('\n', data.Vocab.Words) + "\n");
            return TrialKit.Grid(Name, p.Name, o, dataPath, data.Fingerprint, shards, p.Models, m => m.Name, p.LearningRates, p.Hyper, data.Vocab.Size,
                _ => "lstm", m => m.Parameters(data.Vocab.Size));
        });
    }

    /// <inheritdoc />
    protected override Either<Problem, LmData> ReadPrepared(string path) => LmDataFile.Read(path);

    /// <inheritdoc />
    protected override TrialRow RunTrial(PlanRow plan, LmPreset p, LmData data, LmModelSpec model, Device device, int threads, StudyFiles files, Reporter report, string tag)
    {
        var shard = TrialKit.Shard(plan);
        var start = TrialKit.Row(plan, SizeUnitName, "lstm", model.Hidden, model.Layers, device);
        var settings = TrialKit.Settings(plan, p.MaxEpochs, p.Patience, p.ClipNorm);
        var row = TrialKit.TrainExportEvaluate(plan, start, files, threads, report,
            $"{tag} training {model.Name} on shard {shard.Index} ({shard.Size:N0} tokens)",
            status => LmTraining.Run(data, shard, model, p, settings, device,
                (epoch, val) => status($"epoch {epoch}/{p.MaxEpochs}, validation cross-entropy {val:F4}")),
            lm => [("", LmOnnx.Export(lm, Metadata(plan, p, data, model)).ToByteArray())],
            (sessions, outcome, row) =>
            {
                var val = LmOrtEval.CrossEntropy(sessions[0], data.Val, p.SeqLen, p.EvalBatch);
                var test = LmOrtEval.CrossEntropy(sessions[0], data.Test, p.SeqLen, p.EvalBatch);
                return row with
                {
                    ValCrossEntropy = val.Nats, ValPerplexity = val.Perplexity, TestCrossEntropy = test.Nats, TestPerplexity = test.Perplexity,
                    OrtTorchGap = val.Nats - outcome.BestValidation, OrtEvalUnitsPerSecond = val.TokensPerSecond
                };
            });
        report.Line(TrialKit.Outcome(tag, plan, row, () =>
            $"{tag} shard {shard.Index} ({shard.Size:N0} tok) {model.Name} lr {plan.LearningRate}: val CE {row.ValCrossEntropy:F4} (ppl {row.ValPerplexity:F1}), test CE {row.TestCrossEntropy:F4}, {row.Epochs} epochs, {row.TrainSeconds:F1} s, {row.TrainUnitsPerSecond:N0} tok/s, ORT−torch {row.OrtTorchGap:E1}"));
        return row;
    }

    /// <summary>The model file's metadata_props: enough to rebuild its evaluation set and check it is the same data.</summary>
    static Dictionary<string, string> Metadata(PlanRow plan, LmPreset p, LmData data, LmModelSpec model) => TrialKit.Metadata(plan, model.Name, new()
    {
        ["shard_tokens"] = plan.ShardSize.ToString(),
        ["tokenization"] = Tokenizer.Version,
        ["max_example_tokens"] = p.MaxExampleTokens.ToString(),
        ["val_tokens"] = p.ValTokens.ToString(),
        ["test_tokens"] = p.TestTokens.ToString(),
        ["vocab_size"] = data.Vocab.Size.ToString(),
        ["vocab_sha256"] = data.Vocab.Hash,
        ["vocab"] = string.Join('\n', data.Vocab.Words),
        ["eval_seq_len"] = p.SeqLen.ToString(),
        ["eval_batch"] = p.EvalBatch.ToString(),
        ["eval_protocol"] = "non-overlapping windows of eval_seq_len tokens, state reset per window, mean cross-entropy in nats",
        ["input"] = "tokens: int64 [seq, batch] (time-major word ids)",
        ["output"] = "logits: float [seq, batch, vocab] (next-token scores)"
    });

    LmReeval? reeval;

    /// <inheritdoc />
    public override Either<Problem, Reeval.ReevalMeasurement> Reevaluate(Reeval.ReevalRequest request, Microsoft.ML.OnnxRuntime.InferenceSession session)
        => (reeval ??= new LmReeval(DefaultData)).Run(request, session);

    /// <inheritdoc />
    public override Either<Problem, IEnumerable<BenchCase>> BenchCases(RunOptions o, int threads, Reporter report) => Right<Problem, IEnumerable<BenchCase>>(LmBench.Cases(threads));
}
