using System.Diagnostics;
using Lab.Stages.Evaluate;
using Microsoft.ML.OnnxRuntime;

namespace Lab.Stages.Domains.Image;

/// <summary>The metrics that count, from the exported model run by ONNX Runtime: top-1 and top-5 error and cross-entropy.</summary>
public static class ImageOrtEval
{
    /// <summary>Metrics over a set (top-5 is NaN with fewer than 6 classes) and the time of each batch.</summary>
    public sealed record Result(double Top1Error, double Top5Error, double CrossEntropy, long Images, double Seconds, double[] BatchSeconds)
    {
        /// <summary>Images per second.</summary>
        public double ImagesPerSecond => Seconds > 0 ? Images / Seconds : 0;
    }

    /// <summary>Logits [b, K] of a batch.</summary>
    public static float[] Logits(InferenceSession session, float[] pixels, int b, int c, int h, int w)
    {
        using var input = OrtValue.CreateTensorValueFromMemory(pixels, [b, c, h, w]);
        using var run = new RunOptions();   // held until the run ends: an inline instance can be finalised mid-call
        using var outputs = session.Run(run, ["images"], [input], ["logits"]);
        return outputs[0].GetTensorDataAsSpan<float>().ToArray();
    }

    /// <summary>Evaluates the whole set in batches.</summary>
    public static Result Evaluate(InferenceSession session, ImageSet set, int batch)
    {
        var clock = Stopwatch.StartNew();
        long top1 = 0, top5 = 0; double ce = 0;
        var times = new List<double>();
        using var run = new RunOptions();
        foreach (var chunk in Chunking.Chunks(Enumerable.Range(0, set.Count).ToArray(), batch))
        {
            var x = ImageBatches.Pixels(set, chunk);
            using var input = OrtValue.CreateTensorValueFromMemory(x, [chunk.Length, set.Channels, set.Height, set.Width]);
            var t0 = clock.Elapsed.TotalSeconds;
            using var outputs = session.Run(run, ["images"], [input], ["logits"]);
            times.Add(clock.Elapsed.TotalSeconds - t0);
            var logits = outputs[0].GetTensorDataAsSpan<float>();
            int k = logits.Length / chunk.Length;
            for (int i = 0; i < chunk.Length; i++)
            {
                var z = logits.Slice(i * k, k);
                int y = set.Labels[chunk[i]];
                int above = 0;
                for (int j = 0; j < k; j++) if (z[j] > z[y]) above++;
                if (above >= 1) top1++;
                if (above >= 5) top5++;
                ce += LogSoftmax.NegLog(z, y);
            }
        }
        int n = set.Count;
        return new Result((double)top1 / n, set.Classes > 5 ? (double)top5 / n : double.NaN, ce / n, n, clock.Elapsed.TotalSeconds, times.ToArray());
    }
}
