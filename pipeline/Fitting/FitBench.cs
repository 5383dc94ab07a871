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

/// <summary>`pipeline fit-calibrate`: the calibration suite (<see cref="SyntheticCurve.Suite"/>): every curve fitted on its
/// fitted sizes, its held-out truth up to 4× checked against the 95 % band, and its held-out points predicted. Prints
/// coverage and RMSLE by kind, layout and noise level; a fit with a zero-width interval is counted. Writes one row per
/// curve to calibration.parquet in the output folder, for analyses the tables do not make.</summary>
public static class FitCalibration
{
    /// <summary>Prints the tables and writes calibration.parquet into <paramref name="outDir"/>; returns 0.</summary>
    public static async Task<int> Run(int perCell, int resamples, int seed, string outDir, Reporter report)
    {
        var suite = SyntheticCurve.Suite(perCell, seed).ToArray();
        var sw = Stopwatch.StartNew();
        var results = suite.AsParallel().AsOrdered().Select(c => CalibrationResult.Of(c, resamples)).ToArray();
        double seconds = sw.Elapsed.TotalSeconds;
        var ok = results.Where(r => r.Held > 0).ToArray();
        string[] Group(string name, IEnumerable<CalibrationResult> rs)
        {
            var g = rs.ToArray();
            var f = g.Where(r => r.Held > 0).ToArray();
            if (f.Length == 0) return [name, $"{g.Length}", "0", "—", "—", "—", "—", "—"];
            return [name, $"{g.Length}", $"{f.Length}", $"{100 * f.Average(r => r.Coverage):F1}%", $"{f.Average(r => r.Rmsle):F4}",
                $"{RobustLoss.Median(f.Select(r => r.Rmsle).ToArray()):F4}", $"{f.Max(r => r.Rmsle):F3}", $"{f.Count(r => r.ZeroWidth)}"];
        }
        string[] headers = ["group", "curves", "fitted", "coverage of truth (95% band)", "RMSLE mean", "median", "worst", "zero-width"];
        report.Table($"Calibration suite: {suite.Length} curves, {resamples} bootstrap resamples, held out to {SyntheticCurve.Reach}x, {seconds:F0} s on {Environment.ProcessorCount} cores",
            headers, Enum.GetValues<CurveKind>().Select(k => Group(k.ToString(), results.Where(r => r.Curve.Kind == k)))
                .Append(Group("all", results)));
        report.Table("By layout", headers, Enum.GetValues<Spacing>().Select(s => Group(s.ToString(), results.Where(r => r.Curve.Spacing == s))));
        report.Table("By noise (log sd)", headers, SyntheticCurve.NoiseLevels.Select(n => Group($"{n}", results.Where(r => r.Curve.Noise == n))));
        report.Table("By kind and noise: coverage", ["kind", .. SyntheticCurve.NoiseLevels.Select(n => $"noise {n}")],
            Enum.GetValues<CurveKind>().Select(k => new[] { k.ToString() }.Concat(SyntheticCurve.NoiseLevels.Select(n =>
            {
                var f = ok.Where(r => r.Curve.Kind == k && r.Curve.Noise == n).ToArray();
                return f.Length == 0 ? "—" : $"{100 * f.Average(r => r.Coverage):F0}%";
            })).ToArray()));
        // the kinds whose shape changes (break, transition, second step), their curves split by where the change lies
        CurveKind[] changing = [CurveKind.Broken, CurveKind.Saturating, CurveKind.Steps];
        IEnumerable<(string Name, CalibrationResult[] Results)> ByChange(CurveKind k, string inData, string beyond)
        {
            var of = results.Where(r => r.Curve.Kind == k).ToArray();
            return [($"{k}: {inData}", of.Where(r => !r.Curve.ChangeBeyondData).ToArray()), ($"{k}: {beyond}", of.Where(r => r.Curve.ChangeBeyondData).ToArray())];
        }
        report.Table("By where the shape changes (break, transition, second step)", headers,
            changing.SelectMany(k => ByChange(k, "in the fitted data", "beyond it")).Select(g => Group(g.Name, g.Results)));
        // how wide the band is against the miss it must hold: noisy curves (noise-free ones are predicted to the fits'
        // resolution, so any band holds them), pooled over held-out points
        string[] Sharpness(string name, IEnumerable<CalibrationResult> rs)
        {
            var v = rs.Where(r => r.Held > 0 && r.Curve.Noise > 0).SelectMany(r => r.MissToBand).Where(double.IsFinite).ToArray();
            if (v.Length == 0) return [name, "0", "—", "—", "—"];
            return [name, $"{v.Length}", $"{CurveFitter.Quantile(v, 0.5):F2}", $"{CurveFitter.Quantile(v, 0.95):F2}", $"{100.0 * v.Count(x => x <= 1) / v.Length:F1}%"];
        }
        report.Table("How wide the band is against the miss (noisy curves; |ln(truth/predicted)| / half-width; a band as wide as it must be: median ~0.34, 95th percentile ~1)",
            ["group", "held-out points", "median", "95th percentile", "within the band"],
            Enum.GetValues<CurveKind>().SelectMany(k => changing.Contains(k) ? ByChange(k, "change in the fitted data", "change beyond it")
                    : [(k.ToString(), results.Where(r => r.Curve.Kind == k).ToArray())])
                .Select(g => Sharpness(g.Name, g.Results)).Append(Sharpness("all", results)));
        var chosen = results.Where(r => r.Held > 0).GroupBy(r => r.Family).Select(g => $"{g.Key} {g.Count()}");
        report.Line($"families chosen: {string.Join(", ", chosen)}");
        foreach (var r in results.Where(r => r.Held == 0).Take(5)) report.Line($"not fitted: {r.Curve}: {r.Error}");
        if (Environment.GetEnvironmentVariable("LAB_CALIBRATION_DETAILS") is "1")
            foreach (var r in ok.OrderBy(r => r.Coverage).ThenByDescending(r => r.RmsleTruth).Take(40))
                report.Line($"{r.Coverage:P0} rmsle {r.RmsleTruth:F3} {r.Family} drift {r.Drift:F3} tied {r.Tied}: {r.Curve}");
        Directory.CreateDirectory(outDir);
        string path = Path.Combine(outDir, "calibration.parquet");
        await ParquetTable.Write(path, results.Select(Row));
        report.Line($"per curve: {path}");
        return 0;
    }

    static CalibrationRow Row(CalibrationResult r) => new()
    {
        Kind = r.Curve.Kind.ToString(), Layout = r.Curve.Spacing.ToString(), FitPoints = r.Curve.FitPoints, Noise = r.Curve.Noise,
        CurveSeed = r.Curve.Seed, Theta = string.Join(";", r.Curve.Theta.Select(t => t.ToString("R", CultureInfo.InvariantCulture))),
        ChangeBeyondData = r.Curve.ChangeBeyondData, Family = r.Family, Tied = r.Tied, Held = r.Held, Covered = r.Covered,
        Coverage = r.Coverage, Rmsle = r.Rmsle, RmsleTruth = r.RmsleTruth, Drift = r.Drift, ZeroWidth = r.ZeroWidth, Error = r.Error,
        MissToBandMedian = r.MissToBand.Length == 0 ? double.NaN : CurveFitter.Quantile(r.MissToBand, 0.5),
        MissToBandMax = r.MissToBand.Length == 0 ? double.NaN : r.MissToBand.Max(),
    };
}
