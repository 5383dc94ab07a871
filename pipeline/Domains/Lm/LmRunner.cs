using System.Diagnostics;
using Google.Protobuf;
using TorchSharp;
using Lab.Fit;
using Lab.Pipeline.Fitting;
using Lab.Pipeline.Io;
using Lab.Pipeline.Results;
using Lab.Stages.Core;
using Lab.Stages.Domains.Lm;
using Lab.Stages.Evaluate;
using Lab.Stages.Subset;
using Lab.Stages.Train;
using LanguageExt;
using static LanguageExt.Prelude;
using static TorchSharp.torch;

namespace Lab.Pipeline.Domains.Lm;

/// <summary>
/// Word-level language modelling, end to end: load text, tokenise and split, cut doubling shards, train the model ×
/// learning-rate grid on each (skipping finished trials), export ONNX, evaluate it with ONNX Runtime, fit the curve.
/// </summary>
public sealed class LmRunner : IDomainRunner
{
    /// <inheritdoc />
    public string Name => "lm";
    /// <inheritdoc />
    public string DefaultData => "data/lm/gutenberg.txt.gz";

    /// <summary>Everything a study needs before its first trial.</summary>
    sealed record Study(LmPreset Preset, LmData Data, Seq<Shard> Shards, Device Device, int Threads, string DataPath);

    Either<Problem, Study> Prepare(RunOptions o, Reporter report)
    {
        var preset = LmPreset.Named(o.Preset).ToEither(new Problem($"unknown preset '{o.Preset}'", "choose smoke, default or full"));
        var dataPath = o.Data ?? Path.Combine(Paths.RepoRoot(), DefaultData);
        return from p in preset
               from _ in Optional(Paths.CheckWritable(o.Out)).Match(m => Left<Problem, Unit>(new Problem(m, "choose another --out")), () => Right<Problem, Unit>(unit))
               from device in Devices.Choose(o.Device)
               from docs in TextCorpus.Load(dataPath)
               from data in LmData.Prepare(docs.ToList(), p, o.Seed).MapLeft(e => e with { What = $"{dataPath}: {e.What}" })
               from shards in Shards.Doubling(data.Train.Select(e => e.Length).ToList(), p.ShardBase, p.ShardCount)
               select new Study(p, data, shards, device, Devices.SetThreads(o.Threads), dataPath);
    }

    /// <inheritdoc />
    public async Task<Either<Problem, int>> Run(RunOptions o, Reporter report)
    {
        var clock = Stopwatch.StartNew();
        var prepared = Prepare(o, report);
        if (prepared.IsLeft) return prepared.Map(_ => 0);
        var st = prepared.Match(s => s, _ => throw new UnreachableException());
        var (p, data) = (st.Preset, st.Data);
        report.Line($"lm: {data.TrainTokens:N0} training tokens, validation {data.Val.Length:N0}, test {data.Test.Length:N0}, vocabulary {data.Vocab.Size:N0}; " +
                     $"device {st.Device.type}, {st.Threads} threads, data {data.Fingerprint}");
        report.Line($"shards (tokens): {string.Join(", ", st.Shards.Map(s => s.Size.ToString("N0")))}");
        AtomicFile.WriteAllText(Path.Combine(o.Out, "vocab.txt"), string.Join('\n', data.Vocab.Words) + "\n");

        var plan = (from shard in st.Shards
                    from model in p.Models
                    from lr in p.LearningRates
                    select (Spec: new TrialSpec("lm", data.Fingerprint, shard.Index, shard.Examples, shard.Size, model.Name, lr, p.Hyper, o.Seed),
                            Shard: shard, Model: model)).ToList();
        var rows = new List<TrialRow>();
        int done = 0, trained = 0;
        foreach (var (spec, shard, model) in plan)
        {
            done++;
            var rowPath = Path.Combine(o.Out, "trials", $"{spec.Id}.parquet");
            if (File.Exists(rowPath))
            {
                var existing = await ParquetTable.Read<TrialRow>(rowPath);
                var keep = existing.Match(r => r.Count == 1 && r[0].Status is "ok" or "diverged" ? r[0] : null, e => { report.Error($"{e}; training again"); return null; });
                if (keep is not null) { rows.Add(keep); report.Line($"[{done}/{plan.Count}] {spec.Id} done before: shard {shard.Index}, {model.Name}, lr {spec.LearningRate}"); continue; }
            }
            var row = RunTrial(st, spec, shard, model, o, report, $"[{done}/{plan.Count}]");
            await ParquetTable.Write(rowPath, [row]);
            rows.Add(row); trained++;
        }

        await ParquetTable.Write(Path.Combine(o.Out, "trials.parquet"), rows);
        var curve = Curves.BestPerShard(rows, "lm:val_cross_entropy", r => r.ValCrossEntropy, r => r.TestCrossEntropy, r => r.ShardTokens);
        await ParquetTable.Write(Path.Combine(o.Out, "curve.parquet"), curve);
        var points = curve.Select(c => new CurvePoint(c.M, c.Error, "fit", c.Params)).ToList();
        var (analyses, failures) = FitCommand.Analyse([(curve.FirstOrDefault()?.Curve ?? "lm:val_cross_entropy", points)],
            new AnalysisOptions(BestGuess: Math.Log(data.Vocab.Size), Seed: (int)o.Seed));
        var fitRows = await FitOutputs.Write(o.Out, analyses, failures, report);
        Summary.Print(report, rows, curve, fitRows, clock.Elapsed, trained, Math.Log(data.Vocab.Size));
        AtomicFile.WriteAllText(Path.Combine(o.Out, "report.md"), Summary.Markdown(o, rows, curve, fitRows, clock.Elapsed, trained));
        int failed = rows.Count(r => r.Status == "failed");
        return failed == 0 ? 0 : 1;
    }

    static TrialRow RunTrial(Study st, TrialSpec spec, Shard shard, LmModelSpec model, RunOptions o, Reporter report, string tag)
    {
        var p = st.Preset;
        var row = new TrialRow
        {
            TrialId = spec.Id, Domain = "lm", Preset = p.Name, DataFingerprint = spec.DataFingerprint, ShardIndex = shard.Index,
            ShardExamples = shard.Examples, ShardTokens = shard.Size, Model = model.Name, Embed = model.Embed, Hidden = model.Hidden,
            Layers = model.Layers, Parameters = model.Parameters(st.Data.Vocab.Size), LearningRate = spec.LearningRate, Seed = spec.Seed,
            Device = st.Device.type.ToString().ToLowerInvariant()
        };
        try
        {
            var settings = new TrainSettings(spec.LearningRate, p.MaxEpochs, p.Patience, p.ClipNorm, spec.Seed);
            var (lm, outcome) = report.Step($"{tag} training {model.Name} on shard {shard.Index} ({shard.Size:N0} tokens)",
                status => LmTraining.Run(st.Data, shard, model, p, settings, st.Device,
                    (epoch, val) => status($"epoch {epoch}/{p.MaxEpochs}, validation cross-entropy {val:F4}")));
            using (lm)
            {
                row = row with
                {
                    Epochs = outcome.Epochs, BestEpoch = outcome.BestEpoch, TrainSeconds = outcome.Seconds,
                    TrainTokensPerSecond = outcome.UnitsPerSecond, Status = outcome.Status, Reason = outcome.Reason,
                    ValCrossEntropyTorch = outcome.BestValidation
                };
                if (outcome.Status == "ok")
                {
                    lm.to(CPU);
                    var bytes = LmOnnx.Export(lm, Metadata(st, spec, shard, model, o)).ToByteArray();
                    var onnxRel = Path.Combine("models", $"{spec.Id}.onnx");
                    AtomicFile.WriteAllBytes(Path.Combine(o.Out, onnxRel), bytes);
                    using var session = OrtSessions.Open(bytes, st.Threads);
                    var val = LmOrtEval.CrossEntropy(session, st.Data.Val, p.SeqLen, p.EvalBatch);
                    var test = LmOrtEval.CrossEntropy(session, st.Data.Test, p.SeqLen, p.EvalBatch);
                    row = row with
                    {
                        ValCrossEntropy = val.Nats, ValPerplexity = val.Perplexity, TestCrossEntropy = test.Nats, TestPerplexity = test.Perplexity,
                        OrtTorchGap = val.Nats - outcome.BestValidation, OrtEvalTokensPerSecond = val.TokensPerSecond,
                        OnnxPath = onnxRel, OnnxSha256 = Hashing.Sha256(bytes)
                    };
                }
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            row = row with { Status = "failed", Reason = $"{e.GetType().Name}: {e.Message}" };
        }
        row = row with { FinishedAt = DateTime.UtcNow };
        report.Line(row.Status == "ok"
            ? $"{tag} shard {shard.Index} ({shard.Size:N0} tok) {model.Name} lr {spec.LearningRate}: val CE {row.ValCrossEntropy:F4} (ppl {row.ValPerplexity:F1}), test CE {row.TestCrossEntropy:F4}, {row.Epochs} epochs, {row.TrainSeconds:F1} s, {row.TrainTokensPerSecond:N0} tok/s, ORT−torch {row.OrtTorchGap:E1}"
            : $"{tag} shard {shard.Index} {model.Name} lr {spec.LearningRate}: {row.Status}: {row.Reason}");
        return row;
    }

    /// <summary>The model file's metadata_props: enough to rebuild its evaluation set and check it is the same data.</summary>
    static Dictionary<string, string> Metadata(Study st, TrialSpec spec, Shard shard, LmModelSpec model, RunOptions o) => new()
    {
        ["lab.format_version"] = "1",
        ["domain"] = "lm",
        ["trial_id"] = spec.Id,
        ["model"] = model.Name,
        ["preset"] = st.Preset.Name,
        ["seed"] = o.Seed.ToString(),
        ["learning_rate"] = spec.LearningRate.ToString("R"),
        ["shard_index"] = shard.Index.ToString(),
        ["shard_tokens"] = shard.Size.ToString(),
        ["data_fingerprint"] = st.Data.Fingerprint,
        ["data_source"] = Path.GetFileName(st.DataPath.TrimEnd('/')),
        ["tokenization"] = Tokenizer.Version,
        ["max_example_tokens"] = st.Preset.MaxExampleTokens.ToString(),
        ["val_tokens"] = st.Preset.ValTokens.ToString(),
        ["test_tokens"] = st.Preset.TestTokens.ToString(),
        ["vocab_size"] = st.Data.Vocab.Size.ToString(),
        ["vocab_sha256"] = st.Data.Vocab.Hash,
        ["vocab"] = string.Join('\n', st.Data.Vocab.Words),
        ["eval_seq_len"] = st.Preset.SeqLen.ToString(),
        ["eval_batch"] = st.Preset.EvalBatch.ToString(),
        ["eval_protocol"] = "non-overlapping windows of eval_seq_len tokens, state reset per window, mean cross-entropy in nats",
        ["input"] = "tokens: int64 [seq, batch] (time-major word ids)",
        ["output"] = "logits: float [seq, batch, vocab] (next-token scores)"
    };

    LmReeval? reeval;

    /// <inheritdoc />
    public Either<Problem, Reeval.ReevalMeasurement> Reevaluate(Reeval.ReevalRequest request, Microsoft.ML.OnnxRuntime.InferenceSession session)
        => (reeval ??= new LmReeval(DefaultData)).Run(request, session);

    /// <inheritdoc />
    public Task<Either<Problem, int>> Bench(RunOptions o, Reporter report) => Task.FromResult(LmBench.Run(o, report));
}
