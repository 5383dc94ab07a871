namespace Lab.Stages.Bench;

/// <summary>The measures every domain's benchmark shares, built on the code trials run (<see cref="Trainer.Step"/>).</summary>
public static class BenchKit
{
    /// <summary>train_step: <paramref name="steps"/> bare training steps (the trainer's own step: zero, loss, backward,
    /// clip, Adam) on the batches <paramref name="batch"/> gives for step i (tensors and the units they carry).</summary>
    public static BenchMeasure TrainStep(nn.Module model, ExplicitAdam opt, Func<int, (Tensor[] Tensors, long Units)> batch,
        Func<Tensor[], Tensor> loss, int steps, string unit)
        => BenchMeasure.Rate("train_step", unit, () =>
        {
            model.train();
            long units = 0;
            for (int i = 0; i < steps; i++)
            {
                using var scope = NewDisposeScope();
                var (tensors, n) = batch(i);
                Trainer.Step(model, opt, tensors, loss, 1.0);
                units += n;
            }
            model.eval();
            return units;
        });

    /// <summary>pipeline_loop: the domain's whole training of one epoch (batching, dispose scopes, clipping, the trainer),
    /// as units per second of training time (validation excluded), from its outcome.</summary>
    public static BenchMeasure PipelineLoop(string unit, Func<TrainOutcome> trainOneEpoch)
        => new("pipeline_loop", unit, () => trainOneEpoch().UnitsPerSecond);

    /// <summary>The settings of one benchmark epoch: no early stopping, no decay.</summary>
    public static TrainSettings OneEpoch => new(1e-3, 1, 1, 1.0, 5, DecayPatience: 0);

    /// <summary>FLOP/s of a square fp32 matrix product (one run; the bench repeats it).</summary>
    public static double GemmFlops(int n)
    {
        using var a = randn(n, n); using var b = randn(n, n);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using (var c = a.mm(b)) c.sum().item<float>();
        return 2.0 * n * n * n / clock.Elapsed.TotalSeconds;
    }

    /// <summary>The best of <paramref name="repeats"/> timed products after one untimed warm-up: the peak an MFU figure
    /// divides by when the bench's own GEMM case did not run (a single cold product reads low and inflates the MFU).</summary>
    public static double GemmPeak(int n, int repeats = 3)
    {
        GemmFlops(n);
        return Enumerable.Range(0, repeats).Max(_ => GemmFlops(n));
    }
}
