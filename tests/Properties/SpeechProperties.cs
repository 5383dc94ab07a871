using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Google.Protobuf;
using Lab.Stages.Domains.Speech;
using Lab.Stages.Evaluate;
using Microsoft.ML.OnnxRuntime;
using static TorchSharp.torch;

namespace Lab.Tests;

/// <summary>CTC on the host against a brute-force sum over alignments and against TorchSharp; the recognisers' ONNX
/// graphs against TorchSharp, and their independence of the batch an utterance is padded into.</summary>
public class SpeechProperties
{
    static float[] RandomLogProbs(Random rng, int steps, int classes)
    {
        var lp = new float[steps * classes];
        for (int t = 0; t < steps; t++)
        {
            var z = Enumerable.Range(0, classes).Select(_ => rng.NextDouble() * 4 - 2).ToArray();
            double lse = Math.Log(z.Sum(Math.Exp));
            for (int k = 0; k < classes; k++) lp[t * classes + k] = (float)(z[k] - lse);
        }
        return lp;
    }

    /// <summary>−log of the sum over every path of length T that collapses to the labels (repeats merged, blanks dropped).</summary>
    static double BruteForce(float[] lp, int steps, int classes, int[] labels)
    {
        double total = 0;
        var path = new int[steps];
        void Walk(int t, double logp)
        {
            if (t == steps)
            {
                if (Ctc.Greedy(OneHot(path, classes), steps, classes).SequenceEqual(labels)) total += Math.Exp(logp);
                return;
            }
            for (int k = 0; k < classes; k++) { path[t] = k; Walk(t + 1, logp + lp[t * classes + k]); }
        }
        Walk(0, 0);
        return -Math.Log(total);
    }

    static float[] OneHot(int[] path, int classes)
    {
        var x = new float[path.Length * classes];
        for (int t = 0; t < path.Length; t++) x[t * classes + path[t]] = 1;
        return x;
    }

    [Property(MaxTest = 60)]
    public Property Ctc_loss_is_the_sum_over_alignments(PositiveInt seed)
    {
        var rng = new Random(seed.Get);
        int steps = 1 + rng.Next(5), classes = 2 + rng.Next(2);
        var labels = Enumerable.Range(0, rng.Next(4)).Select(_ => 1 + rng.Next(classes - 1)).ToArray();
        var lp = RandomLogProbs(rng, steps, classes);
        double expected = BruteForce(lp, steps, classes, labels), actual = Ctc.Loss(lp, steps, classes, labels);
        bool ok = double.IsPositiveInfinity(expected) ? double.IsPositiveInfinity(actual) && !Ctc.Feasible(steps, labels)
            : Math.Abs(expected - actual) < 1e-4 && Ctc.Feasible(steps, labels);
        return ok.Label($"T={steps} labels=[{string.Join(',', labels)}]: brute force {expected}, CTC {actual}");
    }

    [Property(MaxTest = 20)]
    public Property Ctc_loss_matches_torchsharp(PositiveInt seed)
    {
        TorchSetup.Once();
        var rng = new Random(seed.Get);
        int steps = 5 + rng.Next(40), classes = 3 + rng.Next(8);
        var labels = Enumerable.Range(0, 1 + rng.Next(Math.Min(10, steps / 2))).Select(_ => 1 + rng.Next(classes - 1)).ToArray();
        var lp = RandomLogProbs(rng, steps, classes);
        using var lpT = tensor(lp, [steps, 1, classes]);
        using var loss = nn.functional.ctc_loss(lpT, tensor(labels.Select(l => (long)l).ToArray(), [1, labels.Length]),
            tensor(new long[] { steps }), tensor(new long[] { labels.Length }), 0, reduction: nn.Reduction.Sum);
        double expected = loss.item<float>(), actual = Ctc.Loss(lp, steps, classes, labels);
        return (Math.Abs(expected - actual) <= 1e-4 * Math.Max(1, expected)).Label($"torch {expected}, host {actual}");
    }

    [Fact]
    public void Greedy_decoding_merges_repeats_and_drops_blanks()
    {
        int[] path = [1, 1, 0, 1, 2, 2, 0, 0, 3, 0];
        Assert.Equal([1, 1, 2, 3], Ctc.Greedy(OneHot(path, 4), path.Length, 4));
        Assert.Empty(Ctc.Greedy(OneHot([0, 0, 0], 4), 3, 4));
        var vocab = CharVocab.Of(["ab c"]);
        Assert.Equal(" abc", vocab.Chars);
        Assert.Equal("c ab", vocab.Decode(vocab.Encode("c ab")));
        Assert.Equal([2, 3], vocab.Encode("a!b"));   // characters outside the alphabet cannot be targets
        Assert.True(Ctc.Feasible(3, [1, 1]) && !Ctc.Feasible(2, [1, 1]) && Ctc.Feasible(2, [1, 2]));
    }

    static SpeechSet RandomSet(Random rng, int n, int vocab)
        => new(Enumerable.Range(0, n).Select(_ =>
        {
            int frames = 3 + rng.Next(60);
            var labels = Enumerable.Range(0, rng.Next(5)).Select(_ => 1 + rng.Next(vocab - 1)).ToArray();
            return new Utterance("x", labels, Enumerable.Range(0, frames * LogMel.Bins).Select(_ => (Half)(rng.NextDouble() * 2 - 1)).ToArray(), frames);
        }).ToArray());

    static float[] Slice(float[] lp, int steps, int batch, int classes, int j, int n)
    {
        var rows = new float[n * classes];
        for (int s = 0; s < n; s++) Array.Copy(lp, (s * batch + j) * classes, rows, s * classes, classes);
        return rows;
    }

    /// <summary>Both families: ONNX Runtime gives TorchSharp's log-probabilities at every valid step of a padded
    /// batch, and an utterance's output alone equals its output inside the batch (the masks and sequence_lens work).</summary>
    [Property(MaxTest = 12)]
    public Property Exported_recognisers_match_torchsharp_and_ignore_padding(PositiveInt seed, bool ds2)
    {
        TorchSetup.Once();
        var rng = new Random(seed.Get);
        int vocab = 4 + rng.Next(6);
        var spec = ds2 ? new SpeechModelSpec("ds2", 3 + rng.Next(6), 1 + rng.Next(2), 2 + rng.Next(3), 2 + rng.Next(2))
                       : new SpeechModelSpec("conv", 4 + rng.Next(8), rng.Next(3), TimeStride: 2 + rng.Next(2));
        manual_seed(seed.Get);
        using var model = SpeechTraining.Create(spec, vocab);
        model.eval();
        var set = RandomSet(rng, 1 + rng.Next(4), vocab);
        var idx = Enumerable.Range(0, set.Count).ToArray();
        var t = SpeechBatches.Make(set, idx, CPU);
        float[] expected; int steps;
        using (no_grad()) using (var lp = model.call(t[0], t[1])) { expected = lp.data<float>().ToArray(); steps = (int)lp.shape[0]; }
        foreach (var x in t) x.Dispose();
        using var session = OrtSessions.Open(SpeechOnnx.Export(model, new Dictionary<string, string>()).ToByteArray(), 1);
        using var run = new RunOptions();
        var feats = SpeechBatches.Features(set, idx, out int maxFrames);
        var (actual, outLen, ortSteps, classes) = SpeechOrtEval.Run(session, run, feats, idx.Select(i => (long)set.Items[i].Frames).ToArray(), maxFrames);
        double diff = 0, alone = 0;
        for (int j = 0; j < set.Count; j++)
        {
            int n = spec.OutputLength(set.Items[j].Frames);
            if (outLen[j] != n) return false.Label($"out length {outLen[j]} vs {n}");
            var a = Slice(actual, ortSteps, set.Count, classes, j, n); var e = Slice(expected, steps, set.Count, classes, j, n);
            diff = Math.Max(diff, a.Zip(e, (p, q) => (double)Math.Abs(p - q)).Max());
            var single = SpeechBatches.Features(set, [j], out int f1);
            var (lp1, _, s1, _) = SpeechOrtEval.Run(session, run, single, [set.Items[j].Frames], f1);
            alone = Math.Max(alone, Slice(lp1, s1, 1, classes, 0, n).Zip(a, (p, q) => (double)Math.Abs(p - q)).Max());
        }
        return (ortSteps == steps && diff <= 1e-4 && alone <= 1e-4).Label($"{spec.Name}: ORT−torch {diff}, alone−batched {alone}, steps {ortSteps}/{steps}");
    }

    [Fact]
    public void Sentences_keep_only_what_a_synthesiser_says_as_written()
    {
        var text = "Mr. Smith paid 5 pounds. \"Come here,\" she said; the dog's bone was gone!\n\nIt is I.\nA very long sentence that goes on and on and on beyond the limit here.";
        var s = Transcripts.Sentences(text, 3, 8);
        Assert.Equal(["come here she said", "the dog's bone was gone", "it is i"], s);
        Assert.Equal("a b 'c'", Transcripts.Normalise("  A\tB\n \u2018C\u2019 "));
    }

    [Fact]
    public void Corpus_plan_holds_out_sentences_and_voices_and_is_seeded()
    {
        var sentences = Enumerable.Range(0, 600).Select(i => $"sentence number {i}").ToList();
        var voices = Voice.Inventory(["espeak-ng", "flite", "festival"]);
        var spec = new CorpusSpec(800, 50, 40, 0.5, 3, 8, 7);
        var plan = CorpusPlan.Make(sentences, voices, spec).Match(p => p.ToList(), e => throw new Xunit.Sdk.XunitException(e.ToString()));
        Assert.Equal(890, plan.Count);
        var train = plan.Where(u => u.Split == "train").ToList();
        var held = plan.Where(u => u.Split != "train").ToList();
        Assert.Empty(train.Select(u => u.Text).Intersect(held.Select(u => u.Text)));
        Assert.DoesNotContain(train, u => u.Voice.HeldOut);
        Assert.Contains(held, u => u.Voice.HeldOut);
        Assert.Equal(3, train.Select(u => u.Voice.Engine).Distinct().Count());
        Assert.Equal(plan, CorpusPlan.Make(sentences, voices, spec).Match(p => p.ToList(), _ => []));
        Assert.NotEqual(plan, CorpusPlan.Make(sentences, voices, spec with { Seed = 8 }).Match(p => p.ToList(), _ => []));
        Assert.True(CorpusPlan.Make(sentences.Take(100).ToList(), voices, spec).IsLeft);
    }

    [Fact]
    public void Manifest_errors_name_the_file_and_line()
    {
        string Err(string text) => Manifest.Parse("m.jsonl", "/data", text).Match(_ => "parsed", e => e.ToString());
        Assert.Contains("m.jsonl:2: not valid JSON", Err("{\"audio_filepath\": \"a.wav\", \"text\": \"hi\"}\n{oops"));
        Assert.Contains("m.jsonl:1: no \"text\" string", Err("{\"audio_filepath\": \"a.wav\"}"));
        Assert.Contains("m.jsonl:1: no \"audio_filepath\"", Err("{\"text\": \"x\"}"));
        Assert.Contains("m.jsonl: the manifest lists no utterances", Err("\n\n"));
        var ok = Manifest.Parse("m.jsonl", "/data", Manifest.Line("wav/a.wav", 1.5, "he said \"hi\"")).Match(e => e.ToList(), e => throw new Xunit.Sdk.XunitException(e.ToString()));
        Assert.Equal(new ManifestEntry("/data/wav/a.wav", 1.5, "he said \"hi\""), ok.Single());
    }
}
