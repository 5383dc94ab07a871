using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Lab.Fit;

namespace Lab.Tests;

/// <summary>The slope range of lines through ladder cells (what a size ladder resolves of beta_p): it holds the slope of
/// any power law whose sizes fall in the cells, and no line of a slope outside it passes through all of them.</summary>
public class SizeResolutionProperties
{
    /// <summary>Whether some intercept puts ln s = a + b·ln m inside every cell (lower, upper] (closed, up to rounding).</summary>
    static bool Passes(IReadOnlyList<(double M, double Lower, double Upper)> cells, double b)
    {
        double lo = cells.Max(c => Math.Log(c.Lower) - b * Math.Log(c.M)), hi = cells.Min(c => Math.Log(c.Upper) - b * Math.Log(c.M));
        return lo <= hi + 1e-12;
    }

    [Property(MaxTest = 300)]
    public Property The_range_holds_every_power_law_through_the_cells_and_nothing_else(PositiveInt seed)
    {
        var rng = new Random(seed.Get);
        int n = 2 + rng.Next(7);
        double beta = -0.5 + 1.5 * rng.NextDouble(), alpha = 100 * Math.Exp(rng.NextDouble());
        // a geometric ladder of ratio 1.5–4; each point's best-fit size is the smallest ladder size at or above alpha·m^beta
        double ratio = 1.5 + 2.5 * rng.NextDouble();
        var cells = Enumerable.Range(0, n).Select(k =>
        {
            double m = 1000 * Math.Pow(2, k + rng.NextDouble()), s = alpha * Math.Pow(m, beta);
            double upper = Math.Pow(ratio, Math.Ceiling(Math.Log(s) / Math.Log(ratio)));
            return (m, upper / ratio, upper);
        }).ToList();
        var range = SizeResolution.SlopeRange(cells);
        return range.Match(r =>
                (r.Lower <= beta + 1e-9 && beta <= r.Upper + 1e-9 && Passes(cells, r.Lower) && Passes(cells, r.Upper)
                 && !Passes(cells, r.Lower - 1e-6) && !Passes(cells, r.Upper + 1e-6))
                .Label($"beta {beta:F4} in [{r.Lower:F4}, {r.Upper:F4}]"),
            () => false.Label($"no range for cells of a true power law (beta {beta:F4})"));
    }

    [Fact]
    public void Cells_no_line_passes_through_have_no_range()
    {
        // sizes that go up and then down by more than a cell: no power law is consistent with all three
        var cells = new List<(double, double, double)> { (1e3, 50, 100), (2e3, 400, 800), (4e3, 50, 100) };
        Assert.True(SizeResolution.SlopeRange(cells).IsNone);
        Assert.True(SizeResolution.SlopeRange([(1e3, 50, 100), (1e3, 50, 100)]).IsNone);   // no two distinct m
    }

    [Fact]
    public void A_flat_curve_gets_beta_p_zero_with_the_ladder_s_resolution_and_without_a_smaller_size_none()
    {
        // 6 points over 32× in m, 296k parameters at each, the next smaller size 130k: |beta_p| ≤ ln(296/130) / ln 32
        var points = Enumerable.Range(0, 6).Select(k => new CurvePoint(4000 * Math.Pow(2, k), 5.0 / (1 + k), Params: 295_801, ParamsBelow: 130_041)).ToList();
        var a = CurveAnalysis.Run("c", points, new AnalysisOptions(Resamples: 50)).Match(x => x, e => throw new Xunit.Sdk.XunitException(e.Message));
        var fit = a.ModelSize.IfNone(() => throw new Xunit.Sdk.XunitException(a.ModelSizeError));
        double r = Math.Log(295_801.0 / 130_041) / Math.Log(32);
        Assert.Equal(0, fit["beta"].Value);
        Assert.Equal(-r, fit["beta"].Lower, 12);
        Assert.Equal(r, fit["beta"].Upper, 12);
        Assert.StartsWith("flat", a.ModelSizeNote);
        var floor = CurveAnalysis.Run("c", points.Select(p => p with { ParamsBelow = null }).ToList(), new AnalysisOptions(Resamples: 50))
            .Match(x => x, e => throw new Xunit.Sdk.XunitException(e.Message));
        Assert.True(floor.ModelSize.IsNone);
        Assert.Contains("at every shard", floor.ModelSizeError);
        Assert.Equal("", floor.ModelSizeNote);
    }

    [Fact]
    public void Points_whose_best_fit_size_is_a_ladder_end_are_left_out_of_s_of_m_and_named()
    {
        // s(m) = 3·m^0.7 at five points; the first two sit at the ladder's smallest size (small-data), far above it: fitted
        // with them, beta_p would read much lower; without them it is the true 0.7
        double S(double m) => 3 * Math.Pow(m, 0.7);
        var pts = Enumerable.Range(0, 5).Select(k => 4000.0 * Math.Pow(2, k)).Select((m, k) => new CurvePoint(m, 5 * Math.Pow(m, -0.1), "fit",
            k < 2 ? S(4000 * 4) : S(m), SizeBound: k < 2 ? "small-data" : null)).ToList();
        var a = CurveAnalysis.Run("c", pts, new AnalysisOptions(Resamples: 50)).Match(x => x, e => throw new Exception(e.ToString()));
        var beta = a.ModelSize.Map(f => f.Theta[1]).IfNone(double.NaN);
        Assert.Equal(0.7, beta, 6);
        Assert.Equal(5, a.SizePoints.Count);   // all are plotted
        Assert.Contains(a.Notes, n => n.Contains("2 left out") && n.Contains("m = 4000 small-data"));
        // every point a bound: no fit, and the reason says which
        var all = pts.Select(p => p with { SizeBound = "size-cap" }).ToList();
        var none = CurveAnalysis.Run("c", all, new AnalysisOptions(Resamples: 50)).Match(x => x, e => throw new Exception(e.ToString()));
        Assert.True(none.ModelSize.IsNone);
        Assert.Contains("every point's best-fit size is a bound", none.ModelSizeError);
        Assert.Equal("small-data,size-cap", CurvePoint.SizeBoundOf("small-data,lr-edge,size-cap"));
        Assert.Null(CurvePoint.SizeBoundOf("lr-edge,trial-cap"));
    }
}
