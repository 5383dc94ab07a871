using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Google.Protobuf;
using Lab.Stages.Domains.Nmt;
using Lab.Stages.Evaluate;
using static TorchSharp.torch;

namespace Lab.Tests;

public class NmtProperties
{
    static Seq2SeqLstm Model(int seed, int width, int layers, int v)
    {
        manual_seed(seed);
        var m = new Seq2SeqLstm(new NmtModelSpec("lstm", width, layers, 0), v);
        using (no_grad()) foreach (var p in m.parameters()) p.uniform_(-0.6, 0.6);
        m.eval();
        return m;
    }

    /// <summary>The scoring graph gives TorchSharp's logits (padded batches of random pairs, 1–2 layers).</summary>
    [Property(MaxTest = 10)]
    public Property Scoring_graph_matches_torchsharp(PositiveInt seed, bool twoLayers)
    {
        TorchSetup.Once();
        var rng = new Random(seed.Get);
        int v = 12 + seed.Get % 20, w = 3 + seed.Get % 9;
        using var m = Model(seed.Get, w, twoLayers ? 2 : 1, v);
        var pairs = NmtTestData.RandomPairs(rng, 1 + seed.Get % 4, v);
        var t = NmtBatches.Tensors(pairs, CPU);
        float[] expected;
        using (no_grad()) using (var logits = m.call(t[0], t[1])) expected = logits.data<float>().ToArray();
        foreach (var x in t) x.Dispose();
        using var session = OrtSessions.Open(NmtOnnx.Scoring(m, new Dictionary<string, string>()).ToByteArray(), 1);
        var actual = NmtOrtEval.Logits(session, pairs);
        double diff = actual.Length == expected.Length ? expected.Zip(actual, (a, b) => (double)Math.Abs(a - b)).Max() : double.NaN;
        return (diff <= 1e-4).Label($"max diff {diff}");
    }

    /// <summary>Greedy decoding through the encoder and step graphs gives TorchSharp's greedy decoding.</summary>
    [Property(MaxTest = 8)]
    public Property Greedy_decoding_through_onnx_matches_torchsharp(PositiveInt seed, bool twoLayers)
    {
        TorchSetup.Once();
        var rng = new Random(seed.Get);
        int v = 12 + seed.Get % 20, w = 3 + seed.Get % 9, layers = twoLayers ? 2 : 1, maxLen = 6;
        using var m = Model(seed.Get, w, layers, v);
        var pairs = NmtTestData.RandomPairs(rng, 1 + seed.Get % 4, v);
        using var enc = OrtSessions.Open(NmtOnnx.EncoderGraph(m, new Dictionary<string, string>()).ToByteArray(), 1);
        using var step = OrtSessions.Open(NmtOnnx.Step(m, new Dictionary<string, string>()).ToByteArray(), 1);
        var onnx = NmtOrtEval.Greedy(enc, step, pairs, 8, maxLen);
        var torch = TorchGreedy(m, pairs, maxLen);
        // one pair a batch, three batches in flight: the same outputs in the same order as one batch at a time
        var concurrent = NmtOrtEval.Greedy(enc, step, pairs, 1, maxLen, parallel: 3);
        var sequential = NmtOrtEval.Greedy(enc, step, pairs, 1, maxLen);
        return (onnx.Zip(torch).All(p => p.Item1.SequenceEqual(p.Item2)) && concurrent.Count == pairs.Length
                && concurrent.Zip(sequential).All(p => p.Item1.SequenceEqual(p.Item2)))
            .Label($"onnx {string.Join("|", onnx.Select(x => string.Join(",", x)))} torch {string.Join("|", torch.Select(x => string.Join(",", x)))}");
    }

    /// <summary>A failure while decoding batches concurrently reaches the caller as itself, not wrapped in an
    /// AggregateException (a trial records its type and message and retries native failures once).</summary>
    [Xunit.Fact]
    public void A_decoding_failure_surfaces_as_itself()
    {
        TorchSetup.Once();
        using var m = Model(3, 4, 1, 12);
        var pairs = NmtTestData.RandomPairs(new Random(3), 5, 12);
        using var enc = OrtSessions.Open(NmtOnnx.EncoderGraph(m, new Dictionary<string, string>()).ToByteArray(), 1);
        // the encoder graph given as the step graph: its inputs are not the step's, so every batch fails in ONNX Runtime
        Xunit.Assert.Throws<Microsoft.ML.OnnxRuntime.OnnxRuntimeException>(() => NmtOrtEval.Greedy(enc, enc, pairs, 2, 4, parallel: 2));
    }

    static List<int[]> TorchGreedy(Seq2SeqLstm m, NmtPair[] pairs, int maxLen)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var t = NmtBatches.Tensors(pairs, CPU);
        var (enc, h, c) = m.Encode(t[0]);
        int b = pairs.Length;
        var token = full(new long[] { 1, b }, NmtVocabulary.Bos, dtype: ScalarType.Int64);
        var outs = Enumerable.Range(0, b).Select(_ => new List<int>()).ToArray(); var done = new bool[b];
        for (int i = 0; i < maxLen + 1 && !done.All(x => x); i++)
        {
            var (logits, h2, c2) = m.Decode(t[0], enc, token, h, c);
            var best = logits[0].argmax(-1);
            var ids = best.data<long>().ToArray();
            for (int j = 0; j < b; j++) if (!done[j]) { if (ids[j] == NmtVocabulary.Eos) done[j] = true; else outs[j].Add((int)ids[j]); }
            token = best.unsqueeze(0); h = h2; c = c2;
        }
        return outs.Select(x => x.ToArray()).ToList();
    }

    [Fact]
    public void Bleu_matches_hand_computed_cases_and_13a_tokenisation()
    {
        Assert.Equal(["Hello", ",", "world", "."], Bleu.Tokenize13a("Hello, world."));
        Assert.Equal(["3.14", "is", "pi-ish", ";", "1,000", "apples"], Bleu.Tokenize13a("3.14 is pi-ish; 1,000 apples"));   // 13a keeps inner hyphens and numbers
        Assert.Equal(100, Bleu.Corpus(["the cat sat on the mat"], ["the cat sat on the mat"]), 9);
        // 1-4 gram precisions 4/5, 3/4, 2/3, 1/2; no brevity penalty
        Assert.Equal(100 * Math.Pow(0.8 * 0.75 * (2.0 / 3) * 0.5, 0.25), Bleu.Corpus(["a b c d e"], ["a b c d f"]), 9);
        // brevity penalty exp(1 - 6/5) with precisions 1
        Assert.Equal(100 * Math.Exp(1 - 6.0 / 5), Bleu.Corpus(["a b c d e"], ["a b c d e f"]), 9);
        // exp smoothing of a zero 4-gram count (sacreBLEU's default): p = 3/4, 2/3, 1/2 and 1 / (2 * 1); short by one token
        Assert.Equal(100 * Math.Pow(0.75 * (2.0 / 3) * 0.5 * 0.5, 0.25) * Math.Exp(1 - 5.0 / 4), Bleu.Corpus(["a b c x"], ["a b c d e"]), 9);
    }

    [Fact]
    public void Bpe_round_trips_words_and_is_deterministic()
    {
        var counts = new Dictionary<string, long> { ["lower"] = 5, ["lowest"] = 3, ["newer"] = 6, ["wider"] = 2, ["new"] = 4 };
        var a = Bpe.Learn(counts, 20); var b = Bpe.Learn(counts, 20);
        Assert.Equal(a.Merges, b.Merges);
        Assert.Equal(("w", "e"), a.Merges[0]);   // 5 + 3 + 6 + 4 = 18 occurrences
        foreach (var text in new[] { "lower newer wider", "unseen words, too!", "lowest" })
            Assert.Equal(string.Join(" ", Bpe.Words(text)), Bpe.Decode(a.EncodeSentence(text)));
    }
}
