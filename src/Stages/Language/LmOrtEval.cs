using Lab.Stages.Evaluate;
using System.Diagnostics;
using Microsoft.ML.OnnxRuntime;

namespace Lab.Stages.Language;

/// <summary>The metric that counts: per-token cross-entropy computed from the ONNX model's logits by ONNX Runtime.</summary>
public static class LmOrtEval
{
    /// <summary>Cross-entropy and perplexity of an evaluation stream, and how fast ONNX Runtime got there (with the time of each batch's run).</summary>
    public sealed record Result(double Nats, double Perplexity, long Tokens, double Seconds, double[] BatchSeconds)
    {
        /// <summary>Evaluation tokens per second.</summary>
        public double TokensPerSecond => Seconds > 0 ? Tokens / Seconds : 0;
    }

    /// <summary>Logits [T, B, V] for inputs [T, B] (time-major int64 ids).</summary>
    public static float[] Logits(InferenceSession session, long[] x, int t, int b)
    {
        using var input = OrtValue.CreateTensorValueFromMemory(x, [t, b]);
        using var run = new RunOptions();   // held until the run ends: an inline instance can be finalised mid-call
        using var outputs = session.Run(run, ["tokens"], [input], ["logits"]);
        return outputs[0].GetTensorDataAsSpan<float>().ToArray();
    }

    /// <summary>Mean cross-entropy (nats) over the stream's non-overlapping windows of length <paramref name="t"/>.</summary>
    public static Result CrossEntropy(InferenceSession session, int[] stream, int t, int batch)
    {
        var clock = Stopwatch.StartNew();
        double sum = 0; long n = 0;
        using var runOptions = new RunOptions();
        var batchSeconds = new List<double>();
        foreach (var chunk in Chunking.Chunks(LmWindows.Starts(stream.Length, t), batch))
        {
            var (x, y) = LmWindows.Batch(stream, chunk, t);
            using var input = OrtValue.CreateTensorValueFromMemory(x, [t, chunk.Length]);
            var started = clock.Elapsed.TotalSeconds;
            using var outputs = session.Run(runOptions, ["tokens"], [input], ["logits"]);
            batchSeconds.Add(clock.Elapsed.TotalSeconds - started);
            var logits = outputs[0].GetTensorDataAsSpan<float>();
            int v = logits.Length / y.Length;
            for (int k = 0; k < y.Length; k++) sum += LogSoftmax.NegLog(logits.Slice(k * v, v), (int)y[k]);
            n += y.Length;
        }
        double nats = n == 0 ? double.NaN : sum / n;
        return new Result(nats, Math.Exp(nats), n, clock.Elapsed.TotalSeconds, batchSeconds.ToArray());
    }
}
