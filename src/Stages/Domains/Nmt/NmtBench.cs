using Google.Protobuf;
using Lab.Stages.Evaluate;

namespace Lab.Stages.Domains.Nmt;

/// <summary>`pipeline bench --domain nmt`: per default-preset model (both architectures) on random 20-piece sentences
/// over a 4,000-piece vocabulary, the bare training step, the pipeline's training loop, TorchSharp versus ONNX Runtime
/// scoring, and greedy decoding through ONNX Runtime (sentences/s).</summary>
public static class NmtBench
{
    const int V = 4000, Len = 20;

    /// <summary>The cases, one model at a time.</summary>
    public static IEnumerable<BenchCase> Cases(int threads)
    {
        var rng = new Random(1);
        NmtPair Pair() => new(Enumerable.Range(0, Len).Select(_ => 4 + rng.Next(V - 4)).ToArray(), Enumerable.Range(0, Len).Select(_ => 4 + rng.Next(V - 4)).ToArray());
        var train = Enumerable.Range(0, 32).Select(_ => Pair()).ToArray();
        var eval = Enumerable.Range(0, 256).Select(_ => Pair()).ToArray();
        var corpus = Enumerable.Range(0, 512).Select(_ => Pair()).ToArray();
        var vocab = new NmtVocabulary(Enumerable.Range(0, V).Select(i => $"p{i}").ToArray());
        var data = new NmtData(new Bpe([]), vocab, corpus, eval[..64], eval[..8], [], [], "bench");
        foreach (var spec in NmtPreset.Shipped.Default.Models)
        {
            manual_seed(1);
            using var model = NmtTraining.Create(spec, V, NmtPreset.Shipped.Default.MaxLen);
            using var opt = new ExplicitAdam(model.parameters(), 1e-3);
            model.eval();
            var (scoring, encoder, step) = NmtExport.Graphs(model, new Dictionary<string, string> { ["domain"] = "nmt" });
            using var s1 = OrtSessions.Open(scoring, threads); using var s2 = OrtSessions.Open(encoder, NmtOrtEval.DecodingSessionThreads); using var s3 = OrtSessions.Open(step, NmtOrtEval.DecodingSessionThreads);   // as in a trial
            var greedy = eval;   // 4 batches of 64, decoded as a trial's BLEU is (batches in flight = threads)
            yield return new BenchCase(spec.Name, model.parameters().Sum(p => p.numel()),
            [
                BenchKit.TrainStep(model, opt, _ => (NmtBatches.Tensors(train, CPU), train.Length * (Len + 1)),
                    t => NmtTraining.Loss(model.call(t[0], t[1]), t[2]), 10, "tokens/s"),
                BenchKit.PipelineLoop("tokens/s", () => Loop(data, spec)),
                BenchMeasure.Rate("eval_torch", "tokens/s", () => { NmtTraining.CrossEntropy(model, eval, 64, CPU); return eval.Length * (Len + 1); }),
                BenchMeasure.Rate("eval_ort", "tokens/s", () => NmtOrtEval.CrossEntropy(s1, eval, 64).Tokens),
                BenchMeasure.Rate("greedy_ort", "sentences/s", () =>
                {
                    if (spec.Arch == "transformer") NmtOrtEval.GreedyTransformer(s2, s3, greedy, 64, Len, threads); else NmtOrtEval.Greedy(s2, s3, greedy, 64, Len, threads);
                    return greedy.Length;
                })
            ]);
        }
    }

    static TrainOutcome Loop(NmtData data, NmtModelSpec spec)
    {
        var preset = NmtPreset.Shipped.Default with { MinTokensPerEpoch = 0 };
        var (model, outcome) = NmtTraining.Run(data, new Lab.Stages.Subset.Shard(0, data.Train.Length, data.Train.Length * (Len + 1), 0), spec, preset, BenchKit.OneEpoch, CPU);
        model.Dispose();
        return outcome;
    }
}
