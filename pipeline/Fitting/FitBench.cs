using System.Diagnostics;
using Lab.Fit;

namespace Lab.Pipeline.Fitting;

/// <summary>`pipeline fit-bench`: times the fit of a 10-point curve with every family and N bootstrap resamples.</summary>
public static class FitBench
{
    /// <summary>Prints the figures; returns 0.</summary>
    public static int Run(int resamples, Reporter report)
    {
        var rng = new Random(5);
        var points = Enumerable.Range(0, 10).Select(k =>
        {
            double m = 1000 * Math.Pow(2, k);
            return new CurvePoint(m, (12 * Math.Pow(m, -0.3) + 0.8) * Math.Exp(0.01 * (rng.NextDouble() - 0.5)), "fit", 1e4 * Math.Sqrt(m));
        }).ToList();
        var options = new AnalysisOptions(Resamples: resamples);
        CurveAnalysis.Run("warm-up", points, options with { Resamples = 20 });
        var times = new List<double>();
        var perFamily = new Dictionary<string, double>();
        for (int run = 0; run < 3; run++)
        {
            var sw = Stopwatch.StartNew();
            var a = CurveAnalysis.Run("bench", points, options);
            times.Add(sw.Elapsed.TotalSeconds);
            if (a.IsLeft) { report.Error(a.Match(_ => "", e => e.ToString())); return 1; }
        }
        foreach (var fam in CurveFitter.Families)
        {
            var sw = Stopwatch.StartNew();
            CurveFitter.Fit("bench", points.Select(p => new Observation(p.M, p.Error)), fam, resamples, 17);
            perFamily[fam.Name] = sw.Elapsed.TotalSeconds;
        }
        report.Table($"Fit benchmark: 10-point curve, every family, {resamples} bootstrap resamples, {Environment.ProcessorCount} cores",
            ["what", "seconds"],
            new[] { new[] { "whole analysis (selection, all families with bootstrap, model size, projections), best of 3", $"{times.Min():F3}" },
                    new[] { "whole analysis, median of 3", $"{times.Order().ElementAt(1):F3}" } }
                .Concat(perFamily.Select(kv => new[] { $"{kv.Key} fit + bootstrap", $"{kv.Value:F3}" })));
        return 0;
    }
}
