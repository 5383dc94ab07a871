using Google.Protobuf;
using Lab.Pipeline.Reeval;
using Lab.Stages.Domains.Nmt;
using Microsoft.ML.OnnxRuntime;
using TorchSharp;
using static TorchSharp.torch;

namespace Lab.Pipeline.Domains.Nmt;

/// <summary>
/// Machine translation: the plan reads the parallel text once, learns BPE and the vocabulary on the training split and
/// cuts doubling shards (in target subword tokens); a trial trains one LSTM encoder–decoder with attention, exports the
/// scoring, encoder and decoder-step graphs, measures per-token cross-entropy (the curve) with ONNX Runtime, and corpus
/// BLEU of greedy translations decoded through ONNX Runtime.
/// </summary>
public sealed class NmtRunner() : DomainRunner<NmtPreset, NmtData, NmtModelSpec>("nmt", "data/nmt/kjv-rv1909.tsv.gz", "target tokens", NmtPreset.Named)
{
    /// <inheritdoc />
    public override IReadOnlyList<CurveSpec> Curves(IReadOnlyList<PlanRow> plan)
    {
        var archs = plan.Select(p => JsonSerializer.Deserialize<NmtModelSpec>(p.ModelSpec)!.Arch).Distinct().Order().ToList();
        return TrialKit.PerArchitecture("nmt", "val_cross_entropy", "test_cross_entropy", Math.Log(plan.Count > 0 ? plan[0].OutputClasses : 1), archs).ToList();
    }

    /// <inheritdoc />
    public override Either<Problem, List<PlanRow>> Plan(RunOptions o, StudyFiles files, Reporter report)
    {
        var dataPath = DataPathOf(o);
        return from p0 in Preset(o.Preset)
               from models in TrialKit.Architectures(p0.Models, m => m.Arch, o.Arch, "lstm")
               let p = p0 with { Models = models }
               from _ in Devices.Choose(o.Device)
               from corpus in ParallelFiles.Load(dataPath)
               let pairs = o.Reverse ? corpus.Pairs.Select(x => (x.Item2, x.Item1)).ToList() : corpus.Pairs
               from data in NmtData.Prepare(pairs, p, o.Seed).MapLeft(e => e with { What = $"{dataPath}: {e.What}" })
               from shards in Shards.Halving(data.Train.Select(x => x.Tgt.Length + 1).ToList(), p.Shards, "target tokens").MapLeft(e => e with { What = $"{dataPath}: {e.What}" })
               select PlanRows(o, p, data, shards, dataPath, files, report, o.Reverse ? $"{corpus.Second}→{corpus.First}" : $"{corpus.First}→{corpus.Second}");
    }

    List<PlanRow> PlanRows(RunOptions o, NmtPreset p, NmtData data, Seq<Shard> shards, string dataPath, StudyFiles files, Reporter report, string direction)
    {
        report.Line($"nmt ({direction}): {data.Train.Length:N0} training pairs ({data.Train.Sum(x => (long)x.Tgt.Length + 1):N0} target tokens), validation {data.Val.Length:N0}, " +
                    $"test {data.Test.Length:N0}, {data.Bpe.Merges.Count:N0} BPE merges, vocabulary {data.Vocab.Size:N0}, data {data.Fingerprint}");
        report.Line($"shards (target tokens): {string.Join(", ", shards.Map(s => s.Size.ToString("N0")))}");
        NmtDataFile.Write(files.Prepared(Name), data);
        return TrialKit.Grid(Name, p.Name, o, dataPath, data.Fingerprint, shards, p.Models, m => m.Name, p.LearningRates,
            $"{p.Hyper}-{(o.Reverse ? "reverse" : "forward")}", data.Vocab.Size,
            m => m.Arch, m => TrialKit.CountParameters(() => NmtTraining.Create(m, data.Vocab.Size, p.MaxLen)));
    }

    /// <inheritdoc />
    protected override Either<Problem, NmtData> ReadPrepared(string path) => NmtDataFile.Read(path);

    /// <inheritdoc />
    protected override TrialRow RunTrial(PlanRow plan, NmtPreset p, NmtData data, NmtModelSpec model, Device device, int threads, StudyFiles files, Reporter report, string tag)
    {
        var shard = TrialKit.Shard(plan);
        var settings = TrialKit.Settings(plan, p.MaxEpochs, p.Patience, p.ClipNorm);
        var row = TrialKit.TrainExportEvaluate(plan, TrialKit.Row(plan, SizeUnit, model.Arch, model.Width, model.Layers, device), files, threads, report,
            $"{tag} training {model.Name} on shard {shard.Index} ({shard.Size:N0} target tokens)",
            status => NmtTraining.Run(data, shard, model, p, settings, device,
                (epoch, val) => status($"epoch {epoch}/{p.MaxEpochs}, validation cross-entropy {val:F4}")),
            net =>
            {
                var (scoring, encoder, step) = NmtExport.Graphs(net, Metadata(plan, p, data, model));
                return [("", scoring), (".encoder.onnx", encoder), (".step.onnx", step)];
            },
            (sessions, outcome, row) =>
            {
                var (scoringSession, encoderSession, stepSession) = (sessions[0], sessions[1], sessions[2]);
                var val = NmtOrtEval.CrossEntropy(scoringSession, data.Val, p.EvalBatch);
                var test = NmtOrtEval.CrossEntropy(scoringSession, data.Test, p.EvalBatch);
                int n = Math.Min(p.BleuPairs, data.Val.Length);
                bool transformer = model.Arch == "transformer";
                var valBleu = NmtOrtEval.Bleu(encoderSession, stepSession, data, data.Val[..n], data.ValRefs[..n], p.EvalBatch, p.MaxLen, transformer, threads);
                var testBleu = NmtOrtEval.Bleu(encoderSession, stepSession, data, data.Test[..Math.Min(n, data.Test.Length)], data.TestRefs[..Math.Min(n, data.Test.Length)], p.EvalBatch, p.MaxLen, transformer, threads);
                return row with
                {
                    ValCrossEntropy = val.Nats, ValPerplexity = Math.Exp(val.Nats), TestCrossEntropy = test.Nats, TestPerplexity = Math.Exp(test.Nats),
                    ValBleu = valBleu, TestBleu = testBleu, OrtTorchGap = val.Nats - outcome.BestValidation,
                    OrtEvalUnitsPerSecond = val.Tokens / Math.Max(1e-9, val.Seconds)
                };
            },
            // greedy decoding runs --threads batches at once, so the encoder and step graphs get one thread each
            suffix => suffix.Length == 0 ? threads : NmtOrtEval.DecodingSessionThreads);
        report.Line(TrialKit.Outcome(tag, plan, row, () =>
            $"{tag} shard {shard.Index} ({shard.Size:N0} tok) {model.Name} lr {plan.LearningRate}: val CE {row.ValCrossEntropy:F4}, BLEU {row.ValBleu:F2} (test {row.TestBleu:F2}); {row.Epochs} epochs, {row.TrainSeconds:F1} s, {row.TrainUnitsPerSecond:N0} tok/s, ORT−torch {row.OrtTorchGap:E1}"));
        return row;
    }

    static Dictionary<string, string> Metadata(PlanRow plan, NmtPreset p, NmtData data, NmtModelSpec model) => TrialKit.Metadata(plan, model.Name, new()
    {
        ["architecture"] = model.Arch,
        ["direction"] = plan.Hyper.EndsWith("-reverse") ? "reverse" : "forward",
        ["tokenization"] = Bpe.Version,
        ["bpe_merges"] = string.Join('\n', data.Bpe.Merges.Select(m => $"{m.Left} {m.Right}")),
        ["vocab"] = string.Join('\n', data.Vocab.Pieces),
        ["vocab_sha256"] = data.Vocab.Hash,
        ["max_len"] = p.MaxLen.ToString(CultureInfo.InvariantCulture),
        ["val_pairs"] = p.ValPairs.ToString(CultureInfo.InvariantCulture),
        ["test_pairs"] = p.TestPairs.ToString(CultureInfo.InvariantCulture),
        ["eval_batch"] = p.EvalBatch.ToString(CultureInfo.InvariantCulture),
        ["graphs"] = model.Arch == "transformer"
            ? "this file: scoring (src, tgt_in → logits); <id>.encoder.onnx (src → memory); <id>.step.onnx (memory, src, prefix → logits of the last position)"
            : "this file: scoring (src, tgt_in → logits); <id>.encoder.onnx (src → enc, h, c); <id>.step.onnx (enc, src, token, h, c → logits, h_out, c_out)",
        ["input"] = "src: int64 [src_len, batch] left-padded with 0; tgt_in: int64 [tgt_len, batch] = 2 (<s>) + target, right-padded with 0",
        ["output"] = "logits: float [tgt_len, batch, vocab]"
    });

    readonly Dictionary<string, NmtData> reevalCache = new();

    /// <summary>Rebuilds the validation pairs from the model's metadata (BPE merges, vocabulary, seed, split sizes,
    /// direction) and measures per-token cross-entropy on the scoring graph.</summary>
    public override Either<Problem, ReevalMeasurement> Reevaluate(ReevalRequest r, InferenceSession session)
    {
        var meta = r.Metadata;
        foreach (var key in new[] { "tokenization", "bpe_merges", "vocab", "vocab_sha256", "seed", "val_pairs", "test_pairs", "max_len", "direction", "data_source" })
            if (!meta.ContainsKey(key)) return new Problem($"{r.ModelPath}: metadata lacks '{key}', needed to rebuild the evaluation set");
        if (meta["tokenization"] != Bpe.Version) return new Problem($"{r.ModelPath}: tokenisation {meta["tokenization"]} is not this build's {Bpe.Version}");
        var vocab = new NmtVocabulary(meta["vocab"].Split('\n'));
        if (vocab.Hash != meta["vocab_sha256"]) return new Problem($"{r.ModelPath}: the stored vocabulary does not match its SHA-256; the metadata was altered");
        var bpe = new Bpe(meta["bpe_merges"].Split('\n').Where(l => l.Length > 0).Select(l => { int i = l.IndexOf(' '); return (l[..i], l[(i + 1)..]); }).ToArray());
        var dataPath = r.DataPath ?? (meta["data_source"] == Path.GetFileName(DefaultData) ? Path.Combine(Paths.RepoRoot(), DefaultData) : null);
        if (dataPath is null) return new Problem($"{r.ModelPath}: the model was trained on '{meta["data_source"]}', not the shipped corpus", "give it with --data");
        int I(string k) => int.Parse(meta[k], CultureInfo.InvariantCulture);
        var key2 = $"{Path.GetFullPath(dataPath)}|{meta["seed"]}|{meta["val_pairs"]}|{meta["test_pairs"]}|{meta["max_len"]}|{meta["direction"]}|{vocab.Hash}";
        if (!reevalCache.TryGetValue(key2, out var data))
        {
            var preset = NmtPreset.Default with { ValPairs = I("val_pairs"), TestPairs = I("test_pairs"), MaxLen = I("max_len"), Shards = new ShardLadder(1, 1, 1) };
            var prepared = ParallelFiles.Load(dataPath).Bind(c => NmtData.Prepare(meta["direction"] == "reverse" ? c.Pairs.Select(x => (x.Item2, x.Item1)).ToList() : c.Pairs,
                preset, long.Parse(meta["seed"], CultureInfo.InvariantCulture), bpe, vocab));
            if (prepared.IsLeft) return prepared.Map(_ => (ReevalMeasurement)null!).MapLeft(p => p with { What = $"{r.ModelPath}: {p.What}" });
            data = prepared.Match(d => d, _ => throw new InvalidOperationException());
            reevalCache[key2] = data;
        }
        int batch = r.Batch > 0 ? r.Batch : I("eval_batch");
        var result = NmtOrtEval.CrossEntropy(session, data.Val, batch);
        return new ReevalMeasurement("val_cross_entropy", result.Nats, result.Tokens, batch, result.BatchSeconds, dataPath, data.Fingerprint);
    }

    /// <inheritdoc />
    public override Either<Problem, IEnumerable<BenchCase>> BenchCases(RunOptions o, int threads, Reporter report) => Right<Problem, IEnumerable<BenchCase>>(NmtBench.Cases(threads));
}
