using Lab.Stages.Language;

namespace Lab.Pipeline.Language;

/// <summary>
/// `pipeline bench --domain lm|charlm`: the fp32 GEMM peak, then per model the bare training step, its model FLOP
/// utilisation against that peak, the pipeline's training loop, and TorchSharp versus ONNX Runtime evaluation.
/// </summary>
public static class LmBench
{
    const int T = 35, B = 32, EvalBatch = 128;

    /// <summary>Training matmul FLOPs per token: 6 × (recurrent weights + output layer) (forward and backward).</summary>
    public static double TrainFlopsPerToken(LmModelSpec s, int v) => 6 * (s.RecurrentWeights + (double)s.Hidden * v);

    /// <summary>The cases: the GEMM peak first (the MFU figures divide by the best of its runs), then each model.</summary>
    public static IEnumerable<BenchCase> Cases(string domain, IEnumerable<(LmModelSpec Spec, int Vocab)> configs, int threads, string unit)
    {
        double peak = 0;
        yield return new BenchCase("gemm-2048", 0, [new BenchMeasure("gemm_peak", "GFLOP/s", () =>
        {
            double f = BenchKit.GemmFlops(2048);
            peak = Math.Max(peak, f);
            return f / 1e9;
        })]);
        foreach (var (spec, v) in configs)
        {
            manual_seed(1);
            using var model = spec.Create(v);
            using var opt = new ExplicitAdam(model.parameters(), 1e-3);
            using var x = randint(0, v, [T, B]); using var y = randint(0, v, [T, B]);
            var step = BenchKit.TrainStep(model, opt, _ => ([x, y], T * B), t => LmTraining.Loss(model.call(t[0]), t[1]), 20, unit);
            var rng = new Random(3);
            var stream = Enumerable.Range(0, 20_000).Select(_ => rng.Next(v)).ToArray();
            using var session = OrtSessions.Open(model.ToOnnx(new Dictionary<string, string> { ["domain"] = domain }).ToByteArray(), threads);
            yield return new BenchCase($"{spec.Name}-v{v}", model.parameters().Sum(p => p.numel()),
            [
                step,
                new BenchMeasure("train_mfu", "% of GEMM peak", () =>
                {
                    if (peak == 0) peak = BenchKit.GemmPeak(2048);   // the peak case was filtered out (--model)
                    return 100 * step.Once() * TrainFlopsPerToken(spec, v) / peak;
                }),
                BenchKit.PipelineLoop(unit, () => Loop(spec, v)),
                BenchMeasure.Rate("eval_torch", unit, () => LmTraining.CrossEntropy(model, stream, T, EvalBatch, CPU).Tokens),
                BenchMeasure.Rate("eval_ort", unit, () => LmOrtEval.CrossEntropy(session, stream, T, EvalBatch).Tokens)
            ]);
        }
    }

    /// <summary>One epoch of the pipeline's own training over 60k random tokens, batch 32 × 35: what a trial gets.</summary>
    static TrainOutcome Loop(LmModelSpec spec, int v)
    {
        var rng = new Random(4);
        var train = Enumerable.Range(0, 600).Select(_ => Enumerable.Range(0, 100).Select(_ => rng.Next(v)).ToArray()).ToArray();
        var data = new LmData(new Vocabulary(Enumerable.Range(0, v).Select(i => $"w{i}").ToArray()), [.. train[0], .. train[1]], [], train, "bench");
        var preset = new LmPreset("bench", v, T, B, EvalBatch, 100, 0, 0, new Lab.Stages.Subset.ShardLadder(1, 1, 1), [spec], [1e-3], 1, 1,
            MinTokensPerEpoch: 0, ClipNorm: 1.0, new());
        var shard = new Lab.Stages.Subset.Shard(0, train.Length, train.Sum(e => e.Length), 0);
        var (model, outcome) = LmTraining.Run(data, shard, spec, preset, BenchKit.OneEpoch, CPU);
        model.Dispose();
        return outcome;
    }
}
