using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Lab.Fit;

namespace Lab.Tests;

/// <summary>What a target error takes: data from the learning curve, s(m) and compute there, with intervals.</summary>
public class RequirementProperties
{
    const double FlopsPerSecond = 2e9;

    /// <summary>Ten doubling sizes with eps = a m^b + g, params = 50 m^bp, flops = 300 m^bc, seconds at a fixed FLOP/s;
    /// with relative noise on the error when asked.</summary>
    static List<CurvePoint> Curve(int seed, double noise, out (double A, double B, double G, double Bp, double Bc) truth)
    {
        var rng = new Random(seed);
        double b = -(0.1 + 0.6 * rng.NextDouble()), g = rng.NextDouble() < 0.3 ? 0 : 0.2 + rng.NextDouble(), a = 5 + 20 * rng.NextDouble();
        double bp = 0.3 + 0.6 * rng.NextDouble(), bc = 1 + bp + 0.3 * rng.NextDouble();
        truth = (a, b, g, bp, bc);
        var t = truth;
        return Enumerable.Range(0, 10).Select(k =>
        {
            double m = 1000 * Math.Pow(2, k), flops = 300 * Math.Pow(m, t.Bc);
            double e = (t.A * Math.Pow(m, t.B) + t.G) * (1 + noise * (rng.NextDouble() * 2 - 1));
            return new CurvePoint(m, e, "fit", 50 * Math.Pow(m, t.Bp), default, flops, flops / FlopsPerSecond);
        }).ToList();
    }

    static bool Close(double a, double b, double rel) => Math.Abs(a - b) <= rel * Math.Abs(b);

    static bool Inside(Estimate e) => e.Lower <= e.Value * (1 + 1e-9) && e.Value <= e.Upper * (1 + 1e-9);

    [Property(MaxTest = 15)]
    public Property Noise_free_curves_give_the_true_data_size_and_compute(PositiveInt seed)
    {
        var pts = Curve(seed.Get, 0, out var t);
        double largest = pts.Max(p => p.M), m3 = 3 * largest;
        double target = t.A * Math.Pow(m3, t.B) + t.G;
        var analysis = CurveAnalysis.Run("c", pts, new AnalysisOptions("power-irreducible", Resamples: 100, TargetError: target));
        return analysis.Match(a =>
        {
            var r = a.Requirements.ToList();
            var given = r.Single(x => x.Basis == "target");
            var twice = r.Single(x => x.Basis == "2x data");
            double p = given.Params.Map(e => e.Value).IfNone(double.NaN), f = given.Flops.Map(e => e.Value).IfNone(double.NaN),
                h = given.Hours.Map(e => e.Value).IfNone(double.NaN);
            return (r.Count == 3 && given.Reachable && Close(given.Data.Value, m3, 1e-3) && Close(twice.Data.Value, 2 * largest, 1e-6)
                    && Close(p, 50 * Math.Pow(m3, t.Bp), 1e-3) && Close(f, 300 * Math.Pow(m3, t.Bc), 1e-3)
                    && Close(h, 300 * Math.Pow(m3, t.Bc) / FlopsPerSecond / 3600, 1e-3)
                    && Inside(given.Data) && given.Params.ForAll(Inside) && given.Flops.ForAll(Inside))
                .Label($"m* {given.Data} (true {m3}); params {p}; flops {f}; hours {h}");
        }, e => false.Label(e.ToString()));
    }

    [Property(MaxTest = 10)]
    public Property Noisy_curves_give_intervals_around_the_estimate(PositiveInt seed)
    {
        var pts = Curve(seed.Get, 0.03, out _);
        var analysis = CurveAnalysis.Run("c", pts, new AnalysisOptions("power-irreducible", Resamples: 200));
        return analysis.Match(a => a.Requirements.Filter(r => r.Reachable)
            .ForAll(r => Inside(r.Data) && r.Params.ForAll(Inside) && r.Flops.ForAll(Inside) && r.Hours.ForAll(Inside)
                         && r.Data.Upper > r.Data.Lower)
            .Label(string.Join("; ", a.Requirements.Map(r => $"{r.Basis}: {r.Data}"))), e => false.Label(e.ToString()));
    }

    [Property(MaxTest = 8)]
    public Property The_data_needed_carries_the_bands_interval_and_the_size_and_compute_follow_it(PositiveInt seed)
    {
        // family chosen by the selection (ties averaged): m* and its interval are the band's, as the projections' are,
        // and s(m*) and the FLOPs hold their own bootstrap intervals at both ends of it
        var pts = Curve(seed.Get, 0.03, out _);
        var analysis = CurveAnalysis.Run("c", pts, new AnalysisOptions(Resamples: 200));
        return analysis.Match(a => a.Requirements.Filter(r => r.Reachable).ForAll(r =>
            {
                var band = a.Band.SizeFor(r.TargetError);
                bool same = r.Data.Value == band.Value && r.Data.Lower == band.Lower && r.Data.Upper == band.Upper;
                bool follows = a.ModelSize.ForAll(size => r.Params.ForAll(e =>
                    new[] { r.Data.Lower, r.Data.Upper }.Where(double.IsFinite).All(m =>
                    {
                        var at = Projection.ErrorAt(size, m);
                        return e.Lower <= at.Lower * (1 + 1e-12) && (e.Upper >= at.Upper * (1 - 1e-12));
                    })));
                return same && follows && Inside(r.Data);
            }).Label(string.Join("; ", a.Requirements.Map(r => $"{r.Basis}: {r.Data} {r.Params}"))), e => false.Label(e.ToString()));
    }

    [Fact]
    public void A_target_below_the_floor_is_unreachable_and_says_so()
    {
        var pts = Curve(7, 0, out var t);
        var below = t.G > 0 ? t.G / 2 : -1;
        var a = CurveAnalysis.Run("c", pts, new AnalysisOptions("power-irreducible", Resamples: 50, TargetError: below))
            .IfLeft(e => throw new Xunit.Sdk.XunitException(e.ToString()));
        var r = a.Requirements.Find(x => x.Basis == "target").IfNone(() => throw new Xunit.Sdk.XunitException("no target row"));
        Assert.False(r.Reachable);
        Assert.True(double.IsNaN(r.Data.Value));
        Assert.True(r.Params.ForAll(p => double.IsNaN(p.Value)));
    }

    [Fact]
    public void Points_without_flops_give_data_and_size_but_no_compute()
    {
        var pts = Curve(3, 0, out _).Select(p => p with { Flops = null, Seconds = null }).ToList();
        var a = CurveAnalysis.Run("c", pts, new AnalysisOptions("power-irreducible", Resamples: 50))
            .IfLeft(e => throw new Xunit.Sdk.XunitException(e.ToString()));
        Assert.All(a.Requirements, r => { Assert.True(r.Params.IsSome); Assert.True(r.Flops.IsNone); Assert.True(r.Hours.IsNone); });
    }
}
