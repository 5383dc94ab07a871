using Lab.Pipeline;
using Lab.Pipeline.Io;
using Lab.Pipeline.Results;

namespace Lab.Tests;

/// <summary>`pipeline fit` on CSV and Parquet input, bad curves and bad columns.</summary>
public class FitCommandTests
{
    static string TempDir()
    {
        var d = Path.Combine(Path.GetTempPath(), $"lab-fit-{Guid.NewGuid():N}");
        Directory.CreateDirectory(d);
        return d;
    }

    static string Csv(params (string Curve, double M, double Error, string Split)[] rows)
        => "curve,m,error,split,params\n" + string.Join("\n", rows.Select(r => $"{r.Curve},{r.M},{r.Error},{r.Split},{(long)(1000 * Math.Sqrt(r.M))}"));

    static (string, double, double, string)[] Good(string name, double beta, int n = 9, int holdout = 2)
        => Enumerable.Range(0, n).Select(k => { double m = 500 * Math.Pow(2, k); return (name, m, 20 * Math.Pow(m, beta) + 0.7, k >= n - holdout ? "holdout" : "fit"); }).ToArray();

    static async Task<(int Code, string Err)> Fit(params string[] args)
    {
        var err = new StringWriter();
        return (await Cli.Run(["fit", .. args, "--quiet", "--bootstrap", "200"], err), err.ToString());
    }

    [Fact]
    public async Task Fit_calibrate_writes_one_row_per_curve_of_the_suite()
    {
        var dir = TempDir();
        int code = await Cli.Run(["fit-calibrate", "--per-cell", "1", "--bootstrap", "20", "--seed", "5", "--out", dir], new StringWriter());
        Assert.Equal(0, code);
        var rows = (await ParquetTable.Read<CalibrationRow>(Path.Combine(dir, "calibration.parquet"))).Match(r => r, e => throw new Xunit.Sdk.XunitException(e.ToString()));
        // one curve per kind × layout × noise level, each drawn as the suite draws it
        Assert.Equal(Enum.GetValues<Lab.Fit.CurveKind>().Length * Enum.GetValues<Lab.Fit.Spacing>().Length * Lab.Fit.SyntheticCurve.NoiseLevels.Length, rows.Count);
        var suite = Lab.Fit.SyntheticCurve.Suite(1, 5).ToList();
        Assert.Equal(suite.Select(c => (c.Kind.ToString(), c.Spacing.ToString(), c.Noise, c.Seed)), rows.Select(r => (r.Kind, r.Layout, r.Noise, r.CurveSeed)));
        Assert.All(rows, r => Assert.True(r.Held > 0 && r.Covered <= r.Held && Math.Abs(r.Coverage - (double)r.Covered / r.Held) < 1e-12 && r.Rmsle >= 0 && r.Family != "",
            $"{r.Kind} {r.Layout} {r.Noise}: held {r.Held} covered {r.Covered} rmsle {r.Rmsle} family '{r.Family}' {r.Error}"));
    }

    [Fact]
    public async Task Csv_input_writes_fits_predictions_for_every_point_and_plots()
    {
        var dir = TempDir();
        var csv = Path.Combine(dir, "curves.csv");
        await File.WriteAllTextAsync(csv, Csv([.. Good("a", -0.3), .. Good("b", -0.5)]));
        var (code, err) = await Fit("--curves", csv, "--out", Path.Combine(dir, "out"), "--target-error", "1.0", "--best-guess", "12");
        Assert.True(code == 0, err);
        var preds = (await ParquetTable.Read<PredictionRow>(Path.Combine(dir, "out", "predictions.parquet"))).Match(r => r, e => throw new Xunit.Sdk.XunitException(e.ToString()));
        Assert.Equal(18, preds.Count);
        Assert.Equal(4, preds.Count(p => p.Split == "holdout"));
        Assert.All(preds, p => Assert.True(Math.Abs(p.Predicted / p.Observed - 1) < 0.01, $"{p.Curve} m={p.M}: {p.Predicted} vs {p.Observed}"));
        var fits = (await ParquetTable.Read<FitRow>(Path.Combine(dir, "out", "fits.parquet"))).Match(r => r, e => throw new Xunit.Sdk.XunitException(e.ToString()));
        Assert.Contains(fits, f => f.Curve == "a" && f.Chosen && f.Parameter == "beta" && Math.Abs(f.Value + 0.3) < 0.01);
        Assert.Contains(fits, f => f.Curve == "a" && f.Family == "power" && double.IsFinite(f.SelectionScore));
        Assert.Contains(fits, f => f.Curve == "a:model_size" && f.Parameter == "beta" && Math.Abs(f.Value - 0.5) < 1e-4); // params are whole numbers
        var projections = (await ParquetTable.Read<ProjectionRow>(Path.Combine(dir, "out", "projections.parquet"))).Match(r => r, e => throw new Xunit.Sdk.XunitException(e.ToString()));
        Assert.Contains(projections, p => p.Curve == "a" && p.Kind == "size_for_error" && p.Reachable);
        var comparisons = (await ParquetTable.Read<ComparisonRow>(Path.Combine(dir, "out", "comparisons.parquet"))).Match(r => r, e => throw new Xunit.Sdk.XunitException(e.ToString()));
        Assert.Equal("differ", Assert.Single(comparisons).Verdict);
        foreach (var ext in new[] { "png", "svg" })
            Assert.True(new FileInfo(Path.Combine(dir, "out", "plots", $"a.{ext}")).Length > 1000);
        Directory.Delete(dir, true);
    }

    [Fact]
    public async Task Parquet_input_in_the_pipelines_curve_format_is_accepted()
    {
        var dir = TempDir();
        var path = Path.Combine(dir, "curve.parquet");
        await ParquetTable.Write(path, Good("lm:val_cross_entropy", -0.25, 8, 0).Select((g, i) => new CurveRow
        { Curve = g.Item1, M = g.Item2, Error = g.Item3, Params = 1e4 * Math.Pow(g.Item2, 0.7), ShardIndex = i, Model = "x", Domain = "lm",
          TrainFlops = 6e5 * Math.Pow(g.Item2, 1.7), TrainSeconds = 6e5 * Math.Pow(g.Item2, 1.7) / 1e9 }).ToList());
        var (code, err) = await Fit("--curves", path, "--out", Path.Combine(dir, "out"), "--holdout-last", "2");
        Assert.True(code == 0, err);
        var preds = (await ParquetTable.Read<PredictionRow>(Path.Combine(dir, "out", "predictions.parquet"))).Match(r => r, e => throw new Xunit.Sdk.XunitException(e.ToString()));
        Assert.Equal(2, preds.Count(p => p.Split == "holdout"));
        // the compute columns give data, s(m), FLOPs and hours for the errors at 2x and 4x the largest size
        var needs = (await ParquetTable.Read<RequirementRow>(Path.Combine(dir, "out", "requirements.parquet"))).Match(r => r, e => throw new Xunit.Sdk.XunitException(e.ToString()));
        var twice = Assert.Single(needs, r => r.Basis == "2x data");
        double m2 = 2 * 500 * Math.Pow(2, 7);   // twice the largest point (held-out points count as data the study has)
        Assert.True(Math.Abs(twice.Data / m2 - 1) < 1e-6, $"{twice.Data} vs {m2}");
        Assert.True(Math.Abs(twice.TrainFlops / (6e5 * Math.Pow(m2, 1.7)) - 1) < 1e-3, $"{twice.TrainFlops}");
        Assert.True(Math.Abs(twice.TrainHours * 3600 * 1e9 / twice.TrainFlops - 1) < 1e-6, $"{twice.TrainHours}");
        Assert.True(twice.ParamsLower <= twice.Params && twice.Params <= twice.ParamsUpper);
        Directory.Delete(dir, true);
    }

    [Fact]
    public async Task A_flat_best_fit_size_with_params_below_reports_beta_p_at_the_ladder_s_resolution()
    {
        var dir = TempDir();
        var csv = Path.Combine(dir, "curves.csv");
        // one size at every point: with params_below beta_p is 0 within what the ladder resolves; without it, not fitted
        var rows = Good("a", -0.3, 6, 0).Select(g => $"{g.Item1},{g.Item2},{g.Item3},fit,296000,130000")
            .Concat(Good("b", -0.3, 6, 0).Select(g => $"{g.Item1},{g.Item2},{g.Item3},fit,296000,"));
        await File.WriteAllTextAsync(csv, "curve,m,error,split,params,params_below\n" + string.Join("\n", rows));
        var (code, err) = await Fit("--curves", csv, "--out", Path.Combine(dir, "out"));
        Assert.True(code == 0, err);
        var fits = (await ParquetTable.Read<FitRow>(Path.Combine(dir, "out", "fits.parquet"))).Match(r => r, e => throw new Xunit.Sdk.XunitException(e.ToString()));
        var beta = Assert.Single(fits, f => f.Curve == "a:model_size" && f.Parameter == "beta");
        double r = Math.Log(296000.0 / 130000) / Math.Log(32);
        Assert.True(beta.Status == "ok" && beta.Value == 0 && Math.Abs(beta.Lower + r) < 1e-9 && Math.Abs(beta.Upper - r) < 1e-9, $"{beta.Value} [{beta.Lower}, {beta.Upper}]");
        Assert.StartsWith("flat", beta.Reason);
        Assert.Contains(fits, f => f.Curve == "b:model_size" && f.Status == "failed" && f.Reason.Contains("at every shard"));
        Directory.Delete(dir, true);
    }

    [Fact]
    public async Task A_bad_curve_is_reported_by_name_and_does_not_stop_the_others()
    {
        var dir = TempDir();
        var csv = Path.Combine(dir, "curves.csv");
        await File.WriteAllTextAsync(csv, Csv([.. Good("good", -0.3), ("broken-data", 100, 2, "fit"), ("broken-data", 200, -1, "fit"), ("broken-data", 400, 1, "fit")]));
        var (code, err) = await Fit("--curves", csv, "--out", Path.Combine(dir, "out"));
        Assert.Equal(2, code);
        Assert.Contains("broken-data", err);
        Assert.Contains("positive", err);
        var fits = (await ParquetTable.Read<FitRow>(Path.Combine(dir, "out", "fits.parquet"))).Match(r => r, e => throw new Xunit.Sdk.XunitException(e.ToString()));
        Assert.Contains(fits, f => f.Curve == "good" && f.Chosen);
        Assert.Contains(fits, f => f.Curve == "broken-data" && f.Status == "failed");
        Directory.Delete(dir, true);
    }

    [Theory]
    [InlineData("curve,m,error,colour\nx,1,2,red\n", "unknown column(s) colour")]
    [InlineData("curve,m\nx,1\n", "missing column(s) error")]
    [InlineData("curve,m,error\nx,1,abc\n", "'abc' is not a number")]
    public async Task Bad_columns_are_errors_naming_the_file_and_the_column(string content, string expected)
    {
        var dir = TempDir();
        var csv = Path.Combine(dir, "bad.csv");
        await File.WriteAllTextAsync(csv, content);
        var (code, err) = await Fit("--curves", csv, "--out", Path.Combine(dir, "out"));
        Assert.Equal(2, code);
        Assert.Contains(csv, err);
        Assert.Contains(expected, err);
        Directory.Delete(dir, true);
    }
}
