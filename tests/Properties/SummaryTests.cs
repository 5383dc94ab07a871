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
