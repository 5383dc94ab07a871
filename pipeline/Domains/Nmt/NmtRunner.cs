using Lab.Stages.Domains.Nmt;
using Microsoft.ML.OnnxRuntime;

namespace Lab.Pipeline.Domains.Nmt;

/// <summary>
/// Machine translation: the plan reads the parallel text once, learns BPE and the vocabulary on the training split and
/// cuts doubling shards (in target subword tokens); a trial trains one LSTM encoder–decoder with attention, exports the
/// scoring, encoder and decoder-step graphs, measures per-token cross-entropy (the curve) with ONNX Runtime, and corpus
/// BLEU of greedy translations decoded through ONNX Runtime.
/// </summary>
public sealed class NmtRunner() : DomainRunner<NmtPreset, NmtData, NmtModelSpec, nn.Module<Tensor, Tensor, Tensor>>("nmt", "data/nmt/kjv-rv1909.tsv.gz", "target tokens", NmtPreset.Shipped.Named)
{
    /// <inheritdoc/>
    protected override string DefaultArch => "lstm";
    /// <inheritdoc/>
    public override string DataHelp => "a TSV or a Moses pair";

    /// <inheritdoc />
    public override IReadOnlyList<CurveSpec> Curves(IReadOnlyList<PlanRow> plan)
        => CurvesOf(plan, [("val_cross_entropy", "test_cross_entropy", Math.Log(plan.Count > 0 ? plan[0].OutputClasses : 1))]);

    /// <inheritdoc />
    public override Either<Problem, List<PlanRow>> Plan(RunOptions o, StudyFiles files, Reporter report)
    {
        var dataPath = DataPathOf(o);
        return from p in RunPreset(o, (p, models) => p with { Models = models })
               from corpus in ParallelFiles.Load(dataPath)
               let pairs = o.Reverse ? corpus.Pairs.Select(x => (x.Item2, x.Item1)).ToList() : corpus.Pairs
               let direction = o.Reverse ? $"{corpus.Second}→{corpus.First}" : $"{corpus.First}→{corpus.Second}"
               from data in NmtData.Prepare(pairs, p, o.Seed).At(dataPath)
               from shards in Shards.Halving(data.Train.Select(x => x.Tgt.Length + 1).ToList(), p.Shards, SizeUnit).At(dataPath)
               from space in Space(o, p, dataPath, data, shards, files, report,
                   $"nmt ({direction}): {data.Train.Length:N0} training pairs ({data.Train.Sum(x => (long)x.Tgt.Length + 1):N0} target tokens), validation {data.Val.Length:N0}, " +
                   $"test {data.Test.Length:N0}, {data.Bpe.Merges.Count:N0} BPE merges, vocabulary {data.Vocab.Size:N0}, data {data.Fingerprint}",
                   data.Vocab.Size, m => ParameterCount.Of(() => NmtTraining.Create(m, data.Vocab.Size, p.MaxLen)),
                   $"{p.Hyper}-{(o.Reverse ? "reverse" : "forward")}")
               select space;
    }

    /// <inheritdoc />
    protected override void WritePrepared(string path, NmtData data) => NmtDataFile.Write(path, data);

    /// <inheritdoc />
    protected override Either<Problem, NmtData> ReadPrepared(string path) => NmtDataFile.Read(path);

    /// <inheritdoc />
    protected override (nn.Module<Tensor, Tensor, Tensor> Net, TrainOutcome Outcome) Train(TrialContext t, TrainSettings settings, Device device, Action<int, double> progress)
        => NmtTraining.Run(t.Data, t.Shard, t.Model, t.Preset, settings, device, progress);

    /// <inheritdoc />
    protected override IReadOnlyList<(string Suffix, byte[] Bytes)> Export(TrialContext t, nn.Module<Tensor, Tensor, Tensor> net)
    {
        var (scoring, encoder, step) = NmtExport.Graphs(net, Metadata(t.Plan, t.Preset, t.Data, t.Model));
        return [("", scoring), (".encoder.onnx", encoder), (".step.onnx", step)];
    }

    /// <inheritdoc />
    protected override TrialRow Measure(TrialContext t, InferenceSession[] sessions, TrainOutcome outcome, TrialRow row)
    {
        var (p, data) = (t.Preset, t.Data);
        var (scoringSession, encoderSession, stepSession) = (sessions[0], sessions[1], sessions[2]);
        var val = NmtOrtEval.CrossEntropy(scoringSession, data.Val, p.EvalBatch);
        var test = NmtOrtEval.CrossEntropy(scoringSession, data.Test, p.EvalBatch);
        int n = Math.Min(p.BleuPairs, data.Val.Length), nTest = Math.Min(n, data.Test.Length);
        bool transformer = t.Model.Arch == "transformer";
        var valBleu = NmtOrtEval.Bleu(encoderSession, stepSession, data, data.Val[..n], data.ValRefs[..n], p.EvalBatch, p.MaxLen, transformer, t.Threads);
        var testBleu = NmtOrtEval.Bleu(encoderSession, stepSession, data, data.Test[..nTest], data.TestRefs[..nTest], p.EvalBatch, p.MaxLen, transformer, t.Threads);
        return row with
        {
            ValCrossEntropy = val.Nats, ValPerplexity = Math.Exp(val.Nats), TestCrossEntropy = test.Nats, TestPerplexity = Math.Exp(test.Nats),
            ValBleu = valBleu, TestBleu = testBleu, OrtTorchGap = val.Nats - outcome.BestValidation,
            OrtEvalUnitsPerSecond = val.Tokens / Math.Max(1e-9, val.Seconds)
        };
    }

    /// <summary>Greedy decoding runs --threads batches at once, so the encoder and step graphs get one thread each.</summary>
    protected override int SessionThreads(string suffix, int threads) => suffix.Length == 0 ? threads : NmtOrtEval.DecodingSessionThreads;

    /// <inheritdoc />
    protected override (int Width, int Depth) Shape(NmtModelSpec m) => (m.Width, m.Layers);

    /// <inheritdoc />
    protected override Option<NmtModelSpec> WithWidth(NmtModelSpec m, int width) => m with { Width = width };

    /// <inheritdoc />
    protected override string Summary(TrialRow row) => $"val CE {row.ValCrossEntropy:F4}, BLEU {row.ValBleu:F2} (test {row.TestBleu:F2})";

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

    readonly ReevalSets<NmtData> reevalSets = new();

    /// <summary>Rebuilds the validation pairs from the model's metadata (BPE merges, vocabulary, seed, split sizes,
    /// direction) and measures per-token cross-entropy on the scoring graph.</summary>
    public override Either<Problem, ReevalMeasurement> Reevaluate(ReevalRequest r, InferenceSession session)
        => from _ in r.Require("tokenization", "bpe_merges", "vocab", "vocab_sha256", "seed", "val_pairs", "test_pairs", "max_len", "direction", "data_source")
           from __ in r.SameVersion("tokenization", Bpe.Version, "tokenisation")
           let vocab = new NmtVocabulary(r.Metadata["vocab"].Split('\n'))
           from ___ in vocab.Hash == r.Metadata["vocab_sha256"] ? Right<Problem, Unit>(unit)
               : new Problem($"{r.ModelPath}: the stored vocabulary does not match its SHA-256; the metadata was altered")
           let bpe = new Bpe(r.Metadata["bpe_merges"].Split('\n').Where(l => l.Length > 0).Select(l => { int i = l.IndexOf(' '); return (l[..i], l[(i + 1)..]); }).ToArray())
           from dataPath in r.DataOrShipped(DefaultData, "corpus")
           let reverse = r.Metadata["direction"] == "reverse"
           let preset = NmtPreset.Shipped.Default with { ValPairs = r.Int("val_pairs"), TestPairs = r.Int("test_pairs"), MaxLen = r.Int("max_len"), Shards = new ShardLadder(1, 1, 1) }
           from data in reevalSets.Get(r, $"{Path.GetFullPath(dataPath)}|{r.Metadata["seed"]}|{preset.ValPairs}|{preset.TestPairs}|{preset.MaxLen}|{reverse}|{vocab.Hash}",
               () => ParallelFiles.Load(dataPath).Bind(c => NmtData.Prepare(reverse ? c.Pairs.Select(x => (x.Item2, x.Item1)).ToList() : c.Pairs,
                   preset, r.Long("seed"), bpe, vocab)))
           let batch = r.BatchOr(NmtPreset.Shipped.Default.EvalBatch)
           let result = NmtOrtEval.CrossEntropy(session, data.Val, batch)
           select new ReevalMeasurement("val_cross_entropy", result.Nats, result.Tokens, batch, result.BatchSeconds, dataPath, data.Fingerprint);

    /// <inheritdoc />
    public override Either<Problem, IEnumerable<BenchCase>> BenchCases(RunOptions o, int threads, Reporter report) => Right<Problem, IEnumerable<BenchCase>>(NmtBench.Cases(threads));
}
