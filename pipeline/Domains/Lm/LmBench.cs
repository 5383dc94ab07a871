using System.Diagnostics;
using Google.Protobuf;
using Lab.Stages.Core;
using Lab.Stages.Domains.Lm;
using Lab.Stages.Evaluate;
using LanguageExt;
using static TorchSharp.torch;

namespace Lab.Pipeline.Domains.Lm;

/// <summary>
/// `pipeline bench --domain lm`: fp32 GEMM peak, training tokens/s and model FLOP utilisation per model size, and
/// ONNX Runtime versus TorchSharp evaluation tokens/s, all measured in one process.
/// </summary>
public static class LmBench
{
    /// <summary>Runs the benchmark and prints its figures.</summary>
    public static Either<Problem, int> Run(RunOptions o, Reporter report)
    {
        int threads = Devices.SetThreads(o.Threads);
        var peak = GemmPeak(2048);
        report.Line($"fp32 GEMM peak (n=2048, {threads} threads): {peak / 1e9:F1} GFLOP/s");
        var configs = new (LmModelSpec Spec, int Vocab)[]
        {
            (new LmModelSpec(128, 128, 1, 0), 10000), (new LmModelSpec(256, 256, 1, 0), 10000), (new LmModelSpec(512, 512, 1, 0), 10000)
        }.Concat(LmPreset.Default.Models.Map(m => (m, LmPreset.Default.VocabSize))).ToArray();
        var rows = new List<string[]>();
        foreach (var (spec, v) in configs)
        {
            var (train, flops) = TrainRate(spec, v, 35, 32, 30);
            var loop = LoopRate(spec, v);
            var (ort, torchRate, gap) = EvalRates(spec, v, 35, 128, threads);
            rows.Add([spec.Name, v.ToString(), $"{train:N0}", $"{loop:N0}", $"{flops / 1e9:F1}", $"{100 * flops / peak:F0}%", $"{torchRate:N0}", $"{ort:N0}", $"{gap:E1}"]);
            report.Line($"{spec.Name} V={v}: train step {train:N0} tok/s ({100 * flops / peak:F0}% of peak), pipeline loop {loop:N0} tok/s, eval torch {torchRate:N0} tok/s, ORT {ort:N0} tok/s");
        }
        report.Table($"LM benchmark (batch 32 × 35 steps; peak {peak / 1e9:F1} GFLOP/s)",
            ["model", "vocab", "train step tok/s", "pipeline loop tok/s", "GFLOP/s", "MFU", "torch eval tok/s", "ORT eval tok/s", "max |ORT−torch| CE"], rows);
        return 0;
    }

    /// <summary>FLOP/s of a square fp32 matrix product, best of several runs.</summary>
    public static double GemmPeak(int n)
    {
        using var a = randn(n, n); using var b = randn(n, n);
        using (var w = a.mm(b)) { }
        double best = 0;
        for (int i = 0; i < 5; i++)
        {
            var sw = Stopwatch.StartNew();
            using (var c = a.mm(b)) c.sum().item<float>();
            best = Math.Max(best, 2.0 * n * n * n / sw.Elapsed.TotalSeconds);
        }
        return best;
    }

    /// <summary>Training matmul FLOPs per token: 6 × (LSTM weights + output layer) (forward and backward).</summary>
    public static double TrainFlopsPerToken(LmModelSpec s, int v)
    {
        double w = 0;
        for (int l = 0; l < s.Layers; l++) w += 4.0 * s.Hidden * ((l == 0 ? s.Embed : s.Hidden) + s.Hidden);
        return 6 * (w + (double)s.Hidden * v);
    }

    static (double TokensPerSecond, double Flops) TrainRate(LmModelSpec spec, int v, int t, int b, int steps)
    {
        manual_seed(1);
        using var model = new LstmLm(spec, v);
        using var opt = new Lab.Stages.Train.ExplicitAdam(model.parameters(), 1e-3);
        using var x = randint(0, v, [t, b]); using var y = randint(0, v, [t, b]);
        Stopwatch? sw = null;
        for (int i = 0; i < steps + 2; i++)
        {
            if (i == 2) sw = Stopwatch.StartNew();  // two warm-up steps
            using var scope = NewDisposeScope();
            opt.ZeroGrad();
            var l = LmTraining.Loss(model.call(x), y);
            l.backward();
            opt.Step();
            l.item<float>();
        }
        double rate = steps * t * b / sw!.Elapsed.TotalSeconds;
        return (rate, rate * TrainFlopsPerToken(spec, v));
    }

    /// <summary>Tokens/s of the pipeline's own training loop (batching, clipping, dispose scopes) over one epoch of
    /// 60k random tokens, batch 32 × 35 — what a trial really gets.</summary>
    static double LoopRate(LmModelSpec spec, int v)
    {
        var rng = new Random(4);
        var train = Enumerable.Range(0, 600).Select(_ => Enumerable.Range(0, 100).Select(_ => rng.Next(v)).ToArray()).ToArray();
        var data = new LmData(new Vocabulary(Enumerable.Range(0, v).Select(i => $"w{i}").ToArray()), [.. train[0], .. train[1]], [], train, "bench");
        var preset = LmPreset.Default with { SeqLen = 35, BatchSize = 32, MinTokensPerEpoch = 0, VocabSize = v };
        var shard = new Lab.Stages.Subset.Shard(0, train.Length, train.Sum(e => e.Length), 0);
        var (model, outcome) = LmTraining.Run(data, shard, spec, preset, new Lab.Stages.Train.TrainSettings(1e-3, 1, 1, 1.0, 5), CPU);
        model.Dispose();
        return outcome.UnitsPerSecond;
    }

    static (double Ort, double Torch, double Gap) EvalRates(LmModelSpec spec, int v, int t, int batch, int threads)
    {
        manual_seed(2);
        using var model = new LstmLm(spec, v);
        var rng = new Random(3);
        var stream = Enumerable.Range(0, 20_000).Select(_ => rng.Next(v)).ToArray();
        var sw = Stopwatch.StartNew();
        var (torchCe, n) = LmTraining.CrossEntropy(model, stream, t, batch, CPU);
        double torchRate = n / sw.Elapsed.TotalSeconds;
        var bytes = LmOnnx.Export(model, new Dictionary<string, string> { ["domain"] = "lm" }).ToByteArray();
        using var session = OrtSessions.Open(bytes, threads);
        LmOrtEval.CrossEntropy(session, stream[..2000], t, batch); // warm-up
        var ort = LmOrtEval.CrossEntropy(session, stream, t, batch);
        return (ort.TokensPerSecond, torchRate, Math.Abs(ort.Nats - torchCe));
    }
}
