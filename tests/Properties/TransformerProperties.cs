using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Google.Protobuf;
using Lab.Stages.Domains.Nmt;
using Lab.Stages.Evaluate;
using static TorchSharp.torch;

namespace Lab.Tests;

public class TransformerProperties
{
    static Seq2SeqTransformer Model(int seed, int width, int layers, int v)
    {
        manual_seed(seed);
        var m = new Seq2SeqTransformer(new NmtModelSpec("transformer", width, layers, 0), v, 16);
        // every vector parameter (LayerNorm scales and shifts, biases) away from its default 1 or 0, so a wrong mapping of
        // a scale or a shift in the exported graph shows
        using (no_grad())
            foreach (var (name, p) in m.named_parameters().Where(np => np.parameter.dim() == 1))
            {
                using var r = rand_like(p);
                p.copy_(name.EndsWith("weight", StringComparison.Ordinal) ? r + 0.5 : r - 0.5);
            }
        Assert.Contains(m.named_parameters(), np => np.name.Contains("norm", StringComparison.OrdinalIgnoreCase) && np.parameter.dim() == 1);
        m.eval();
        return m;
    }

    [Property(MaxTest = 10)]
    public Property Transformer_scoring_graph_matches_torchsharp(PositiveInt seed, bool twoLayers)
    {
        TorchSetup.Once();
        var rng = new Random(seed.Get);
        int v = 12 + seed.Get % 20, w = 8 * (1 + seed.Get % 3);
        using var m = Model(seed.Get, w, twoLayers ? 2 : 1, v);
        var pairs = NmtTestData.RandomPairs(rng, 1 + seed.Get % 4, v);
        var t = NmtBatches.Tensors(pairs, CPU);
        float[] expected;
        using (no_grad()) using (var logits = m.call(t[0], t[1])) expected = logits.data<float>().ToArray();
        foreach (var x in t) x.Dispose();
        using var session = OrtSessions.Open(TransformerOnnx.Scoring(m, new Dictionary<string, string>()).ToByteArray(), 1);
        var actual = NmtOrtEval.Logits(session, pairs);
        double diff = actual.Length == expected.Length ? expected.Zip(actual, (a, b) => (double)Math.Abs(a - b)).Max() : double.NaN;
        return (diff <= 1e-4).Label($"max diff {diff} (lengths {actual.Length} vs {expected.Length})");
    }

    [Property(MaxTest = 6)]
    public Property Transformer_greedy_decoding_through_onnx_matches_torchsharp(PositiveInt seed)
    {
        TorchSetup.Once();
        var rng = new Random(seed.Get);
        int v = 12 + seed.Get % 20, w = 16, maxLen = 6;
        using var m = Model(seed.Get, w, 1, v);
        var pairs = NmtTestData.RandomPairs(rng, 1 + seed.Get % 4, v);
        using var enc = OrtSessions.Open(TransformerOnnx.EncoderGraph(m, new Dictionary<string, string>()).ToByteArray(), 1);
        using var step = OrtSessions.Open(TransformerOnnx.Step(m, new Dictionary<string, string>()).ToByteArray(), 1);
        var onnx = NmtOrtEval.GreedyTransformer(enc, step, pairs, 8, maxLen);
        var torch = TorchGreedy(m, pairs, maxLen);
        return onnx.Zip(torch).All(p => p.Item1.SequenceEqual(p.Item2))
            .Label($"onnx {string.Join("|", onnx.Select(x => string.Join(",", x)))} torch {string.Join("|", torch.Select(x => string.Join(",", x)))}");
    }

    [Property(MaxTest = 8)]
    public Property Cached_greedy_decoding_equals_uncached_decoding_in_onnx_runtime(PositiveInt seed, bool twoLayers)
    {
        TorchSetup.Once();
        var rng = new Random(seed.Get);
        int v = 12 + seed.Get % 20, maxLen = 8;
        using var m = Model(seed.Get, 16, twoLayers ? 2 : 1, v);
        var pairs = NmtTestData.RandomPairs(rng, 1 + seed.Get % 9, v);
        var meta = new Dictionary<string, string>();
        using var enc = OrtSessions.Open(TransformerOnnx.EncoderGraph(m, meta).ToByteArray(), 1);
        using var step = OrtSessions.Open(TransformerOnnx.Step(m, meta).ToByteArray(), 1);
        using var scoring = OrtSessions.Open(TransformerOnnx.Scoring(m, meta).ToByteArray(), 1);
        // batches of 3 (a last, smaller batch too), up to 3 of them decoded at once: order and content as decoded one by one
        var cached = NmtOrtEval.GreedyTransformer(enc, step, pairs, 3, maxLen, parallel: 1 + seed.Get % 3);
        var uncached = NmtOrtEval.GreedyByScoring(scoring, pairs, 3, maxLen);
        return (cached.Count == pairs.Length && cached.Zip(uncached).All(p => p.Item1.SequenceEqual(p.Item2)))
            .Label($"cached {string.Join("|", cached.Select(x => string.Join(",", x)))} uncached {string.Join("|", uncached.Select(x => string.Join(",", x)))}");
    }

    static List<int[]> TorchGreedy(Seq2SeqTransformer m, NmtPair[] pairs, int maxLen)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var t = NmtBatches.Tensors(pairs, CPU);
        var memory = m.Encode(t[0]);
        int b = pairs.Length;
        var prefix = full(new long[] { 1, b }, NmtVocabulary.Bos, dtype: ScalarType.Int64);
        var outs = Enumerable.Range(0, b).Select(_ => new List<int>()).ToArray(); var done = new bool[b];
        for (int i = 0; i < maxLen + 1 && !done.All(x => x); i++)
        {
            var logits = m.Decode(t[0], memory, prefix);
            var best = logits[-1].argmax(-1);
            var ids = best.data<long>().ToArray();
            for (int j = 0; j < b; j++) if (!done[j]) { if (ids[j] == NmtVocabulary.Eos) done[j] = true; else outs[j].Add((int)ids[j]); }
            prefix = cat([prefix, best.unsqueeze(0)], 0);
        }
        return outs.Select(x => x.ToArray()).ToList();
    }
}
