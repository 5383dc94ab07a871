using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Lab.Fit;
using Xunit.Abstractions;

namespace Lab.Tests;

public class FitFamilyProperties(ITestOutputHelper output)
{
    static readonly BrokenPowerLaw Broken = new();

    static double[] BrokenTheta(int seed)
    {
        var rng = new Random(seed);
        double a = rng.NextDouble() < 0.3 ? 0 : 0.2 + rng.NextDouble();
        double b = 1 + 5 * rng.NextDouble(), c0 = 0.02 + 0.2 * rng.NextDouble(), c1 = 0.2 + 0.6 * rng.NextDouble();
        double d = Math.Pow(10, 3 + rng.NextDouble()), f = 0.3 + rng.NextDouble();
        return [a, b, c0, c1, d, f];
    }

    static Observation[] Curve(ICurveFamily fam, double[] theta, double m0, int n, double noise = 0, int seed = 0)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, n).Select(k =>
        {
            double m = m0 * Math.Pow(2, k);
            return new Observation(m, fam.Predict(theta, m) * Math.Exp(noise * Gauss(rng)));
        }).ToArray();
    }

    static double Gauss(Random r) => Math.Sqrt(-2 * Math.Log(1 - r.NextDouble())) * Math.Cos(2 * Math.PI * r.NextDouble());

    [Property(MaxTest = 25)]
    public Property Broken_law_reproduces_noise_free_broken_curves(PositiveInt seed)
    {
        var theta = BrokenTheta(seed.Get);
        // (sizes short of where the curve lies within 10 % of its floor, as in the saturating property: there, until
        // 2026-12-07, the floor cap two noise sds below the smallest error kept the fit off the exact floor, and the noise read from a
        // sharp break's third differences is not zero — seed 99 missed by 0.5 %, 35 of 2,000 seeds by 0.1–0.9 %)
        int n = 14;
        while (n > 8 && Broken.Predict(theta, 100 * Math.Pow(2, n - 1)) < 1.1 * theta[0]) n--;
        var pts = Curve(Broken, theta, 100, n);
        return CurveFitter.Fit("broken", pts, Broken, resamples: 0).Match(
            f => pts.All(p => Math.Abs(f.Predict(p.M) / p.Error - 1) <= 1e-3)
                .Label($"worst {pts.Max(p => Math.Abs(f.Predict(p.M) / p.Error - 1)):E2}; true {string.Join(",", theta.Select(v => v.ToString("G4")))} fit {string.Join(",", f.Theta.Select(v => v.ToString("G4")))}"),
            e => false.Label(e.ToString()));
    }

    [Property(MaxTest = 30)]
    public Property Three_points_are_fitted_by_a_family_with_a_point_to_spare(PositiveInt seed)
    {
        // too few points to compare families: the fallback must leave a residual, not put three parameters through
        // three noisy points (which extrapolates the noise's curvature)
        var rng = new Random(seed.Get);
        double[] theta = [1 + 5 * rng.NextDouble(), -0.05 - 0.5 * rng.NextDouble()];
        var pts = Curve(new PowerLaw(), theta, 1000, 3, noise: 0.02, seed: seed.Get).ToSeq();
        var sel = FamilySelection.Choose(pts, CurveFitter.Families);
        return (sel.Chosen.ParameterNames.Count < pts.Count).Label($"chose {sel.Chosen.Name} for {pts.Count} points");
    }

    [Property(MaxTest = 15)]
    public Property Selection_picks_the_broken_family_on_a_broken_curve(PositiveInt seed)
    {
        // a plateau, then a steep power law: the shape the plain families cannot follow
        var rng = new Random(seed.Get);
        double[] theta = [0.5 * rng.NextDouble(), 3 + rng.NextDouble(), 0.01, 0.8 + 0.4 * rng.NextDouble(), 3000 + 4000 * rng.NextDouble(), 0.4];
        var pts = Curve(Broken, theta, 100, 14, noise: 0.002, seed: seed.Get).ToSeq();
        var sel = FamilySelection.Choose(pts, CurveFitter.Families);
        return (sel.Chosen.Name == "broken").Label(string.Join("; ", sel.Scores.Map(s => $"{s.Family} {s.Score:G3}")));
    }

    [Property(MaxTest = 30)]
    public bool Fitted_curves_are_monotone_where_the_data_are(PositiveInt seed)
    {
        var rng = new Random(seed.Get);
        var pts = Enumerable.Range(0, 9).Select(k => (m: 50.0 * Math.Pow(2, k), e: 0.0)).ToArray();
        double e = 5;
        for (int i = 0; i < pts.Length; i++) { e *= 0.75 + 0.2 * rng.NextDouble(); pts[i].e = e; }   // strictly decreasing, noisy
        var obs = pts.Select(p => new Observation(p.m, p.e)).ToArray();
        foreach (var fam in CurveFitter.Families.Filter(f => f.ParameterNames.Count < obs.Length))
        {
            var ok = CurveFitter.Fit("mono", obs, fam, 0).Match(f =>
            {
                var grid = Enumerable.Range(0, 200).Select(i => obs[0].M * Math.Pow(obs[^1].M / obs[0].M, i / 199.0)).Select(f.Predict).ToArray();
                return grid.Zip(grid.Skip(1)).All(p => p.Item2 <= p.Item1 * (1 + 1e-9));
            }, _ => false);
            if (!ok) return false;
        }
        return true;
    }

    [Fact]
    public void Bootstrap_interval_covers_the_true_exponent_near_its_nominal_rate()
    {
        int seeds = 60, covered = 0, fitted = 0;
        for (int s = 1; s <= seeds; s++)
        {
            var rng = new Random(s);
            double alpha = 20 + 20 * rng.NextDouble(), beta = -(0.2 + 0.4 * rng.NextDouble()), gamma = 0.5 + rng.NextDouble();
            var pts = Curve(new PowerLawIrreducible(), [alpha, beta, gamma], 1000, 10, noise: 0.01, seed: s);
            CurveFitter.Fit("noisy", pts, new PowerLawIrreducible(), resamples: 400, seed: s).IfRight(f =>
            {
                fitted++;
                if (f["beta"].Lower <= beta && beta <= f["beta"].Upper) covered++;
            });
        }
        double rate = (double)covered / fitted;
        output.WriteLine($"95% bootstrap interval covered the true beta in {covered}/{fitted} noisy curves ({100 * rate:F1}%)");
        Console.WriteLine($"coverage of the 95% bootstrap interval on beta: {covered}/{fitted} = {100 * rate:F1}%");
        Assert.True(fitted >= seeds - 2, $"only {fitted} of {seeds} fits succeeded");
        Assert.True(rate >= 0.85, $"coverage {rate:P1} is below 85%");
    }

    [Fact]
    public void A_target_below_the_floor_is_unreachable_and_one_above_is_found()
    {
        var pts = Curve(new PowerLawIrreducible(), [10, -0.4, 1.0], 100, 8);
        var fit = CurveFitter.Fit("p", pts, new PowerLawIrreducible(), 200).Match(f => f, e => throw new Xunit.Sdk.XunitException(e.ToString()));
        var below = Projection.SizeFor(fit, 0.9);
        Assert.False(below.Reachable);
        var above = Projection.SizeFor(fit, 1.2);
        Assert.True(above.Reachable);
        Assert.Equal(Math.Pow(0.2 / 10, 1 / -0.4), above.Value, 1e-3 * above.Value);
        Assert.True(above.Lower <= above.Value && above.Value <= above.Upper);
    }

    [Fact]
    public void Regions_label_small_data_power_law_and_irreducible_points()
    {
        // best guess 10: a plateau near it, then a power law, then the floor
        var theta = new[] { 1.0, 9.0, 0.0, 1.2, 2000, 0.3 };
        var pts = Curve(Broken, theta, 100, 16);
        var fit = CurveFitter.Fit("r", pts, Broken, 0).Match(f => f, e => throw new Xunit.Sdk.XunitException(e.ToString()));
        var regions = Regions.Label(fit, pts, bestGuess: 10);
        Assert.Equal("small-data", regions[0]);
        Assert.Contains("power-law", regions);
        Assert.Equal("irreducible", regions[^1]);
        // ordered: small-data, then power-law, then irreducible
        var order = regions.Select(r => r switch { "small-data" => 0, "power-law" => 1, _ => 2 }).ToArray();
        Assert.True(order.Zip(order.Skip(1)).All(p => p.Item1 <= p.Item2), string.Join(",", regions));
    }

    [Fact]
    public void Exponent_comparison_tells_equal_from_different_exponents()
    {
        var fam = new PowerLawIrreducible();
        CurveFit F(string name, double beta, int seed) => CurveFitter.Fit(name, Curve(fam, [30, beta, 0.5], 1000, 10, 0.01, seed), fam, 400, 5)
            .Match(f => f, e => throw new Xunit.Sdk.XunitException(e.ToString()));
        var same = ExponentComparison.Of(F("a", -0.35, 1), F("b", -0.35, 2));
        var diff = ExponentComparison.Of(F("c", -0.2, 3), F("d", -0.7, 4));
        Assert.Equal("indistinguishable", same.Verdict);
        Assert.Equal("differ", diff.Verdict);
        Assert.True(diff.Pairs > 300);
    }
}
