using Lab.Pipeline.Results;
using Lab.Pipeline.Study;

namespace Lab.Tests;

/// <summary>The summary's caution on points the search could not bracket.</summary>
public class SummaryTests
{
    static CurveRow Point(int shard, bool bracketed, string bound = "") => new() { Curve = "d:val", ShardIndex = shard, M = 1000 << shard, Bracketed = bracketed, BoundBy = bound };
    static TrialRow Trial(string arch, long parameters) => new() { Status = "ok", Architecture = arch, Parameters = parameters };

    [Fact]
    public void Points_bound_by_a_cap_are_counted_by_cause_with_the_cap_named()
    {
        var spec = new CurveSpec("d:val", "val", "test", 1);
        TrialRow[] rows = [Trial("a", 10), Trial("a", 20), Trial("a", 40), Trial("b", 80)];
        var text = Summary.Bound(spec, [Point(0, true), Point(1, false, "size-cap"), Point(2, false, "size-cap,lr-edge")], rows);
        Assert.Contains("bound at 2 of 3 points", text);
        Assert.Contains("size-cap 2", text);
        Assert.Contains("lr-edge 1", text);
        Assert.Contains("largest model trained 80 parameters", text);
        Assert.Equal("", Summary.Bound(spec, [Point(0, true), Point(1, true)], rows));
        // a per-architecture curve names its own family's cap
        Assert.Contains("largest model trained 40 parameters", Summary.Bound(spec with { Architecture = "a" }, [Point(0, false, "size-cap")], rows));
    }

    [Fact]
    public void Points_in_the_small_data_region_are_named_apart_from_the_bounds()
    {
        var spec = new CurveSpec("d:val", "val", "test", 1);
        TrialRow[] rows = [Trial("a", 10), Trial("a", 20)];
        var text = Summary.Bound(spec, [Point(0, false, "small-data"), Point(1, false, "small-data"), Point(2, true), Point(3, false, "size-cap")], rows);
        Assert.Contains("2 of 4 points in the small-data region", text);
        Assert.Contains("bound at 1 of 4 points: size-cap 1", text);
        Assert.DoesNotContain("small-data 2", text);
        Assert.DoesNotContain("bound at", Summary.Bound(spec, [Point(0, false, "small-data"), Point(1, true)], rows));
    }
}

/// <summary>The summary's caution on points whose seeds disagree.</summary>
public class SeedDisagreementTests
{
    static CurveRow P(string curve, int shard, double error, double std, int seeds = 3)
        => new() { Curve = curve, ShardIndex = shard, Error = error, ErrorStd = std, Seeds = seeds };

    [Fact]
    public void A_point_far_noisier_than_its_curve_is_flagged_and_ordinary_noise_is_not()
    {
        // measured: lm/rhn shards 3 and 4 (0.17 and 0.46 nats on 5.65 and 5.28) among points of 0.01 nats
        CurveRow[] curve = [P("lm/rhn", 0, 6.07, 0.005), P("lm/rhn", 1, 5.98, 0.001), P("lm/rhn", 2, 5.91, 0.001),
            P("lm/rhn", 3, 5.65, 0.17), P("lm/rhn", 4, 5.28, 0.46), P("lm/rhn", 5, 4.78, 0.01)];
        Assert.Equal([false, false, false, true, true, false], curve.Select(c => Summary.SeedsDisagree(c, curve)));
        // a noisy curve whose points are all alike (3–8 %, the image cnn) is not flagged
        CurveRow[] even = [P("c", 0, 0.41, 0.032), P("c", 1, 0.37, 0.012), P("c", 2, 0.33, 0.027), P("c", 3, 0.31, 0.016)];
        Assert.DoesNotContain(true, even.Select(c => Summary.SeedsDisagree(c, even)));
        // a single seed, or another curve's points, say nothing
        Assert.False(Summary.SeedsDisagree(P("lm/rhn", 3, 5.65, double.NaN, 1), curve));
        CurveRow other = P("x", 0, 1.0, 0.5);
        Assert.True(Summary.SeedsDisagree(other, [.. curve, other, P("x", 1, 1.0, 0.01), P("x", 2, 1.0, 0.01)]));
    }
}

/// <summary>The study's extrapolation check: the two largest points predicted from the rest.</summary>
public class ExtrapolationCheckTests
{
    static List<Lab.Fit.CurvePoint> Curve(Func<double, double> f, int n)
        => Enumerable.Range(0, n).Select(k => { double m = 1000 * Math.Pow(2, k); return new Lab.Fit.CurvePoint(m, f(m)); }).ToList();

    [Fact]
    public void A_power_law_predicts_its_last_points_and_a_bend_does_not()
    {
        var o = new Lab.Fit.AnalysisOptions();
        Assert.True(Lab.Pipeline.Study.StudyRunner.ExtrapolationCheck(Curve(m => 30 * Math.Pow(m, -0.3), 7), o) < 1e-3);
        // the last two points fall much faster than the rest
        double bent = Lab.Pipeline.Study.StudyRunner.ExtrapolationCheck(Curve(m => m < 20_000 ? 30 * Math.Pow(m, -0.1) : 30 * Math.Pow(20_000, -0.1) * Math.Pow(m / 20_000, -1.0), 7), o);
        Assert.True(bent > 0.3, $"{bent}");
        Assert.True(double.IsNaN(Lab.Pipeline.Study.StudyRunner.ExtrapolationCheck(Curve(m => 1 / m, 4), o)));
    }
}
