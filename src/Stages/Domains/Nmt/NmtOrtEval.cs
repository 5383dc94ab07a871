using System.Diagnostics;
using Lab.Stages.Evaluate;
using Microsoft.ML.OnnxRuntime;

namespace Lab.Stages.Domains.Nmt;

/// <summary>Translation metrics from ONNX Runtime: per-token cross-entropy on the scoring graph (teacher forcing) and
/// greedy decoding with the encoder and decoder-step graphs.</summary>
public static class NmtOrtEval
{
    /// <summary>Mean cross-entropy (nats per target token, &lt;/s&gt; included), tokens, seconds and per-batch times.</summary>
    public sealed record Result(double Nats, long Tokens, double Seconds, double[] BatchSeconds);

    /// <summary>Logits [T, B, V] of the scoring graph for a batch.</summary>
    public static float[] Logits(InferenceSession scoring, IReadOnlyList<NmtPair> pairs)
    {
        var (src, s, tin, _, t) = NmtBatches.Make(pairs);
        using var a = OrtValue.CreateTensorValueFromMemory(src, [s, pairs.Count]);
        using var b = OrtValue.CreateTensorValueFromMemory(tin, [t, pairs.Count]);
        using var run = new RunOptions();   // held until the run ends: an inline instance can be finalised mid-call
        using var outputs = scoring.Run(run, ["src", "tgt_in"], [a, b], ["logits"]);
        return outputs[0].GetTensorDataAsSpan<float>().ToArray();
    }

    /// <summary>Cross-entropy over the pairs.</summary>
    public static Result CrossEntropy(InferenceSession scoring, IReadOnlyList<NmtPair> pairs, int batch)
    {
        var clock = Stopwatch.StartNew();
        double sum = 0; long n = 0; var times = new List<double>();
        foreach (var chunk in Chunking.Chunks(Enumerable.Range(0, pairs.Count).ToArray(), batch))
        {
            var batchPairs = chunk.Select(i => pairs[i]).ToArray();
            var (_, _, _, tout, t) = NmtBatches.Make(batchPairs);
            var t0 = clock.Elapsed.TotalSeconds;
            var logits = Logits(scoring, batchPairs);
            times.Add(clock.Elapsed.TotalSeconds - t0);
            int b = batchPairs.Length, v = logits.Length / (t * b);
            for (int k = 0; k < tout.Length; k++)
            {
                if (tout[k] == NmtVocabulary.Pad) continue;
                sum += LogSoftmax.NegLog(logits.AsSpan(k * v, v), (int)tout[k]);
                n++;
            }
        }
        return new Result(sum / n, n, clock.Elapsed.TotalSeconds, times.ToArray());
    }

    /// <summary>Intra-op threads for the encoder and step sessions of greedy decoding: one, since up to the caller's
    /// threads batches decode at once (see <see cref="Batched"/>).</summary>
    public const int DecodingSessionThreads = 1;

    /// <summary>Greedy decoding over batches: <paramref name="decode"/> gets each batch's left-padded source (as an ORT
    /// value) and its batch size, and returns the batch's outputs. Up to <paramref name="parallel"/> batches decode at
    /// once (a session runs concurrently; a decoder step is too small to keep its own intra-op threads busy: nmt w64 on
    /// 2 threads decoded 1.3-1.9x faster with two one-thread batches in flight). Outputs keep the pairs' order whatever the degree.</summary>
    static List<int[]> Batched(IReadOnlyList<NmtPair> pairs, int batch, int parallel, Func<OrtValue, int, List<int>[]> decode)
    {
        var chunks = Chunking.Chunks(Enumerable.Range(0, pairs.Count).ToArray(), batch).ToArray();
        var results = new List<int>[chunks.Length][];
        try
        {
            Parallel.For(0, chunks.Length, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, parallel) }, c =>
            {
                var (src, s, _, _, _) = NmtBatches.Make(chunks[c].Select(i => pairs[i]).ToArray());
                using var srcValue = OrtValue.CreateTensorValueFromMemory(src, [s, chunks[c].Length]);
                results[c] = decode(srcValue, chunks[c].Length);
            });
        }
        catch (AggregateException e)
        {
            // the first failure as itself (a trial records its type and message, and retries native failures once)
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
        }
        return results.SelectMany(r => r.Select(x => x.ToArray())).ToList();
    }

    /// <summary>Takes the arg-max of each row of logits [B, V] as the next token; a row is done at &lt;/s&gt;.</summary>
    static void Advance(ReadOnlySpan<float> logits, long[] next, List<int>[] outputs, bool[] done)
    {
        int b = next.Length, v = logits.Length / b;
        for (int j = 0; j < b; j++)
        {
            var z = logits.Slice(j * v, v);
            int best = 0;
            for (int k = 1; k < v; k++) if (z[k] > z[best]) best = k;
            next[j] = best;
            if (!done[j]) { if (best == NmtVocabulary.Eos) done[j] = true; else outputs[j].Add(best); }
        }
    }

    /// <summary>Greedy translations (ids without &lt;s&gt;/&lt;/s&gt;) with an LSTM's encoder and step graphs, at most maxLen pieces each.</summary>
    public static List<int[]> Greedy(InferenceSession encoder, InferenceSession step, IReadOnlyList<NmtPair> pairs, int batch, int maxLen, int parallel = 1)
        => Batched(pairs, batch, parallel, (srcValue, b) =>
        {
            using var run = new RunOptions();
            using var encOut = encoder.Run(run, ["src"], [srcValue], ["enc", "h", "c"]);
            var h = encOut[1].GetTensorDataAsSpan<float>().ToArray(); var c = encOut[2].GetTensorDataAsSpan<float>().ToArray();
            var stateShape = encOut[1].GetTensorTypeAndShape().Shape;
            var tokens = Enumerable.Repeat((long)NmtVocabulary.Bos, b).ToArray();
            var outputs = Enumerable.Range(0, b).Select(_ => new List<int>()).ToArray();
            var done = new bool[b];
            for (int t = 0; t < maxLen + 1 && !done.All(x => x); t++)
            {
                using var tok = OrtValue.CreateTensorValueFromMemory(tokens, [1, b]);
                using var hv = OrtValue.CreateTensorValueFromMemory(h, stateShape);
                using var cv = OrtValue.CreateTensorValueFromMemory(c, stateShape);
                using var o = step.Run(run, ["enc", "src", "token", "h", "c"], [encOut[0], srcValue, tok, hv, cv], ["logits", "h_out", "c_out"]);
                Advance(o[0].GetTensorDataAsSpan<float>(), tokens, outputs, done);
                h = o[1].GetTensorDataAsSpan<float>().ToArray(); c = o[2].GetTensorDataAsSpan<float>().ToArray();
            }
            return outputs;
        });

    /// <summary>Greedy translations with a Transformer's encoder and cached step graphs: the encoder gives each decoder
    /// layer's cross-attention keys and values once; each step feeds one token with the key/value caches and gets them
    /// back with its position appended.</summary>
    public static List<int[]> GreedyTransformer(InferenceSession encoder, InferenceSession step, IReadOnlyList<NmtPair> pairs, int batch, int maxLen, int parallel = 1)
    {
        int layers = encoder.OutputMetadata.Keys.Count(k => k.StartsWith("cross_k", StringComparison.Ordinal));
        var dims = encoder.OutputMetadata["cross_k0"].Dimensions;   // [batch, h, d, src_len]
        long heads = dims[1], d = dims[2];
        string[] Names(string k, string v) => Enumerable.Range(0, layers).SelectMany(l => new[] { $"{k}{l}", $"{v}{l}" }).ToArray();
        var crossNames = Names("cross_k", "cross_v");
        string[] inputNames = ["src", "token", "position", .. Names("past_k", "past_v"), .. crossNames];
        string[] outputNames = ["logits", .. Names("present_k", "present_v")];
        return Batched(pairs, batch, parallel, (srcValue, b) =>
        {
            using var run = new RunOptions();
            using var cross = encoder.Run(run, ["src"], [srcValue], crossNames);
            var empty = Enumerable.Range(0, layers).SelectMany(_ => new[]
            {
                OrtValue.CreateTensorValueFromMemory(Array.Empty<float>(), [b, heads, d, 0]),
                OrtValue.CreateTensorValueFromMemory(Array.Empty<float>(), [b, heads, 0, d])
            }).ToArray();
            IReadOnlyList<OrtValue> past = empty;
            IDisposable? previous = null;
            var token = Enumerable.Repeat((long)NmtVocabulary.Bos, b).ToArray();
            var next = new long[b];
            var outputs = Enumerable.Range(0, b).Select(_ => new List<int>()).ToArray();
            var done = new bool[b];
            try
            {
                for (long t = 0; t <= maxLen && !done.All(x => x); t++)
                {
                    using var tokenValue = OrtValue.CreateTensorValueFromMemory(token, [1, b]);
                    using var positionValue = OrtValue.CreateTensorValueFromMemory(new[] { t }, [1]);
                    var o = step.Run(run, inputNames, [srcValue, tokenValue, positionValue, .. past, .. cross], outputNames);
                    Advance(o[0].GetTensorDataAsSpan<float>(), next, outputs, done);
                    previous?.Dispose();
                    previous = o;
                    past = o.Skip(1).ToArray();
                    token = (long[])next.Clone();
                }
            }
            finally
            {
                previous?.Dispose();
                foreach (var e in empty) e.Dispose();
            }
            return outputs;
        });
    }

    /// <summary>Greedy translations through the scoring graph alone, re-reading the whole prefix at each step: the
    /// uncached reference the cached step is checked against.</summary>
    public static List<int[]> GreedyByScoring(InferenceSession scoring, IReadOnlyList<NmtPair> pairs, int batch, int maxLen)
        => Batched(pairs, batch, 1, (srcValue, b) =>
        {
            using var run = new RunOptions();
            var prefix = new List<long>(Enumerable.Repeat((long)NmtVocabulary.Bos, b));   // time-major [t, B]
            var next = new long[b];
            var outputs = Enumerable.Range(0, b).Select(_ => new List<int>()).ToArray();
            var done = new bool[b];
            for (int t = 1; t <= maxLen + 1 && !done.All(x => x); t++)
            {
                using var pv = OrtValue.CreateTensorValueFromMemory(prefix.ToArray(), [t, b]);
                using var o = scoring.Run(run, ["src", "tgt_in"], [srcValue, pv], ["logits"]);
                var all = o[0].GetTensorDataAsSpan<float>();
                int v = all.Length / (t * b);
                Advance(all.Slice((t - 1) * b * v, b * v), next, outputs, done);
                prefix.AddRange(next);
            }
            return outputs;
        });

    /// <summary>Corpus BLEU of greedy translations of the pairs against the raw reference sentences.</summary>
    public static double Bleu(InferenceSession encoder, InferenceSession step, NmtData data, IReadOnlyList<NmtPair> pairs, IReadOnlyList<string> references, int batch, int maxLen, bool transformer = false, int parallel = 1)
    {
        var ids = transformer ? GreedyTransformer(encoder, step, pairs, batch, maxLen, parallel) : Greedy(encoder, step, pairs, batch, maxLen, parallel);
        var hyps = ids.Select(x => Bpe.Decode(x.Select(i => data.Vocab.Pieces[i]))).ToArray();
        return Nmt.Bleu.Corpus(hyps, references);
    }
}
