using Google.Protobuf;
using Lab.Stages.Evaluate;

namespace Lab.Stages.Language;

/// <summary>
/// `pipeline bench --domain lm|charlm`: the fp32 GEMM peak, then per model the bare training step, its model FLOP
/// utilisation against that peak, the pipeline's training loop, the loop a trial of the default study runs (epochs of
/// its size with validation after each), and TorchSharp versus ONNX Runtime evaluation.
/// </summary>
public static class LmBench
{
    const int T = 35, B = 32, EvalBatch = 128;

    /// <summary>Training matmul FLOPs per token: 6 × (recurrent weights + output layer) (forward and backward).</summary>
    public static double TrainFlopsPerToken(LmModelSpec s, int v) => 6 * (s.RecurrentWeights + (double)s.Hidden * v);

    /// <summary>The cases: the GEMM peak first (the MFU figures divide by the best of its runs), then each model.</summary>
    public static IEnumerable<BenchCase> Cases(string domain, IEnumerable<(LmModelSpec Spec, int Vocab)> configs, LmPreset trial, int threads, string unit)
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
                new BenchMeasure("trial_train", unit, () => TrialLoop(spec, v, trial).Outcome.UnitsPerSecond),
                new BenchMeasure("trial_train_share", "% of the loop's time", () => { var (o, wall) = TrialLoop(spec, v, trial); return 100 * o.Seconds / wall; }),
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

    /// <summary>The loop a trial of preset <paramref name="p"/> runs on its smallest shard (random tokens): epochs of at least
    /// its MinTokensPerEpoch in its batch shape, validation over its ValTokens after each epoch, the best weights kept;
    /// <see cref="TrialEpochs"/> epochs, no early stop or decay. Returns the outcome (training time and units) and the
    /// loop's wall time (model creation, training, validation, snapshots), so trial_train compares with train_step and
    /// trial_train_share says what validation costs a trial.</summary>
    static (TrainOutcome Outcome, double Wall) TrialLoop(LmModelSpec spec, int v, LmPreset p)
    {
        var rng = new Random(5);
        int[] Tokens(long n) => Enumerable.Range(0, (int)n).Select(_ => rng.Next(v)).ToArray();
        var train = Enumerable.Range(0, (int)Math.Max(1, p.Shards.Smallest / 100)).Select(_ => Tokens(100)).ToArray();
        var data = new LmData(new Vocabulary(Enumerable.Range(0, v).Select(i => $"w{i}").ToArray()), Tokens(p.ValTokens), [], train, "bench");
        var shard = new Lab.Stages.Subset.Shard(0, train.Length, train.Sum(e => e.Length), 0);
        var settings = new TrainSettings(1e-3, TrialEpochs, TrialEpochs + 1, p.ClipNorm, 5, DecayPatience: 0);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var (model, outcome) = LmTraining.Run(data, shard, spec, p with { VocabSize = v }, settings, CPU);
        double wall = clock.Elapsed.TotalSeconds;
        model.Dispose();
        return (outcome, wall);
    }

    /// <summary>Epochs of the trial loop measure.</summary>
    const int TrialEpochs = 4;
}
