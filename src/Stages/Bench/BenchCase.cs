using System.Diagnostics;

namespace Lab.Stages.Bench;

/// <summary>One figure of a benchmark: a name from the shared vocabulary (train_step, pipeline_loop, eval_torch,
/// eval_ort, greedy_ort) or the domain's own, its unit, and a function that measures it once and returns the rate.</summary>
public sealed record BenchMeasure(string Measure, string Unit, Func<double> Once)
{
    /// <summary>A rate measured by timing work that returns how many units it processed.</summary>
    public static BenchMeasure Rate(string measure, string unit, Func<long> work) => new(measure, unit, () =>
    {
        var clock = Stopwatch.StartNew();
        long units = work();
        return units / clock.Elapsed.TotalSeconds;
    });
}

/// <summary>A model a domain benchmarks, with its measures. The domain's sequence of cases builds each model when it is
/// reached and frees it when the next one is asked for, so one model lives at a time.</summary>
public sealed record BenchCase(string Model, long Parameters, IReadOnlyList<BenchMeasure> Measures);
