using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Lab.Fit;

namespace Lab.Tests;

/// <summary>The saturating family (Alabdulmohsin et al.'s M4): it reproduces its own curves, inverts its prediction,
/// nests the power law + floor (alpha 0), and selection extrapolates a curve bending out of its plateau.</summary>
public class SaturatingFamilyProperties
{
    static readonly SaturatingPowerLaw Saturating = new();

    static double[] Theta(Random rng)
    {
        double errInf = rng.NextDouble() < 0.3 ? 0 : 0.05 + 0.3 * rng.NextDouble();
        double err0 = errInf + 0.5 + 2 * rng.NextDouble();
        double c = -(0.2 + 1.0 * rng.NextDouble()), alpha = rng.NextDouble() < 0.2 ? 0 : 0.2 + 2 * rng.NextDouble();
        // beta puts the middle of the fall inside the sizes used (m ~ 10^3 … 10^5)
        double mid = Math.Pow(10, 3 + 2 * rng.NextDouble());
        double half = (err0 - errInf) / 2, beta = half / Math.Pow(err0 - errInf - half, alpha) / Math.Pow(mid, c);
        return [beta, c, alpha, errInf, err0];
    }

    static Observation[] Curve(double[] theta, int n, double m0 = 100, double ratio = 2)
        => Enumerable.Range(0, n).Select(k => { double m = m0 * Math.Pow(ratio, k); return new Observation(m, Saturating.Predict(theta, m)); }).ToArray();

    [Property(MaxTest = 40)]
    public Property The_prediction_solves_the_defining_equation_and_size_for_inverts_it(PositiveInt seed)
    {
        var t = Theta(new Random(seed.Get));
        var sizes = new[] { 10.0, 1e3, 1e5, 1e7 };
        bool solves = sizes.All(m =>
        {
            double e = Saturating.Predict(t, m);
            // (within 1e-6 of the plateau the equation is ill-conditioned in double precision: only the bound is checked)
            if (t[2] > 0 && t[4] - e < 1e-6 * t[4]) return e <= t[4] && e > t[3];
            double lhs = (e - t[3]) / Math.Pow(t[4] - e, t[2]), rhs = t[0] * Math.Pow(m, t[1]);
            return e > t[3] && (t[2] == 0 || e < t[4]) && Math.Abs(lhs / rhs - 1) < 1e-7;
        });
        bool inverts = sizes.Where(m => t[2] == 0 || t[4] - Saturating.Predict(t, m) > 1e-6 * t[4]).All(m => Saturating.SizeFor(t, Saturating.Predict(t, m)) is double s && Math.Abs(s / m - 1) < 1e-6);
        bool falls = sizes.Zip(sizes.Skip(1)).All(p => Saturating.Predict(t, p.Item2) <= Saturating.Predict(t, p.Item1));
        return (solves && inverts && falls).Label($"theta {string.Join(", ", t.Select(v => v.ToString("G4")))}");
    }

    /// <summary>A curve of <see cref="Theta"/> drawn by seed, at sizes short of where it lies on its floor (there a floor
    /// cap two noise sds below the smallest error, as the fitter had until 2026-12-07, kept any family from the exact floor), and the worst
    /// relative miss of the saturating fit (infinite when there is no fit) with a label saying what was fitted.</summary>
    static (double Worst, string Label) NoiseFreeFit(int seed)
    {
        var t = Theta(new Random(seed));
        int n = 14;
        while (n > 8 && Curve(t, n)[^1].Error < 1.1 * t[3]) n--;
        var pts = Curve(t, n);
        return CurveFitter.Fit("sat", pts, Saturating, resamples: 0).Match(
            f =>
            {
                double worst = pts.Max(p => Math.Abs(f.Predict(p.M) / p.Error - 1));
                return (worst, $"worst {worst:E2}; true {string.Join(",", t.Select(v => v.ToString("G4")))} fit {string.Join(",", f.Theta.Select(v => v.ToString("G4")))}");
            },
            e => (double.PositiveInfinity, e.ToString()));
    }

    [Property(MaxTest = 25)]
    public Property Noise_free_saturating_curves_are_reproduced(PositiveInt seed)
    {
        var (worst, label) = NoiseFreeFit(seed.Get);
        return (worst <= 2e-3).Label(label);
    }

    /// <summary>The same claim on a fixed sample of 400 curves, so that a start the fit cannot leave shows in every run,
    /// not only when FsCheck happens to draw seed 67 (the one miss among the seeds 1–100 it draws from): starts that all
    /// lay at alpha = 0 (the bounded solver cannot move a parameter off its bound) and differed only in the plateau, which
    /// alpha 0 ignores, missed 3 of these 400 curves (seeds 67, 147, 297) by 48–78 %.</summary>
    [Fact]
    public void Noise_free_saturating_curves_are_reproduced_on_a_fixed_sample()
    {
        var missed = Enumerable.Range(1, 400).AsParallel().AsOrdered().Select(seed => (Seed: seed, Fit: NoiseFreeFit(seed)))
            .Where(r => !(r.Fit.Worst <= 2e-3)).Select(r => $"seed {r.Seed}: {r.Fit.Label}").ToList();
        Assert.True(missed.Count == 0, string.Join("; ", missed));
    }

    [Fact]
    public void Alpha_zero_is_the_power_law_with_a_floor()
    {
        double[] t = [5, -0.4, 0, 0.2, 3];
        var pi = new PowerLawIrreducible();
        foreach (var m in new[] { 10.0, 1e3, 1e6 }) Assert.Equal(pi.Predict([5, -0.4, 0.2], m), Saturating.Predict(t, m), 12);
        Assert.Equal(-0.4, Saturating.Exponent(t));
        Assert.Equal(0.2, Saturating.Floor(t));
    }

    /// <summary>alpha 1: a logistic fall in log m, begun in the fitted part (12 doublings), predicted 4× beyond them. The
    /// power law and the power law + floor miss such curves by 30 % to 400 % there. With 1 % noise (a slow wiggle, the
    /// hard kind) a 5- or 6-parameter fit on 12 points still varies by some 10 %, and about 2 curves in 100 miss by more
    /// than 25 % (measured over 120 curves: median 2 %, 90th percentile 7 %), so the claim is a rate over a fixed sample of
    /// 40 curves drawn by seed, not a bound on every curve (which made the suite fail by luck about one run in six).</summary>
    [Fact]
    public void Logistic_curves_bending_out_of_their_plateau_are_extrapolated_4x_within_25_percent()
    {
        var worst = Enumerable.Range(0, 40).Select(k => 1000 + 37 * k).AsParallel().AsOrdered().Select(seed =>
        {
            var rng = new Random(seed);
            var th = Theta(rng);
            double[] t = [th[0] * Math.Pow(th[4] - th[3], th[2] - 1), th[1], 1, th[3], th[4]];
            var all = Curve(t, 14).Select((o, i) => new CurvePoint(o.M, o.Error * Math.Exp(0.01 * Math.Sin(7 * i + seed)), i >= 12 ? "holdout" : "fit")).ToList();
            return CurveAnalysis.Run("bend", all, new AnalysisOptions(Resamples: 60)).Match(
                a => (Seed: seed, Family: a.Fit.Family.Name,
                      Worst: a.Predictions.Filter(p => p.Split == "holdout").Max(p => Math.Abs(Math.Log(p.Predicted / Saturating.Predict(t, p.M))))),
                e => (Seed: seed, Family: e.ToString(), Worst: double.PositiveInfinity));
        }).ToList();
        var misses = worst.Where(w => !(w.Worst < Math.Log(1.25))).ToList();
        var sorted = worst.Select(w => w.Worst).OrderBy(v => v).ToList();
        string said = $"{misses.Count} of 40 beyond 25 %: {string.Join("; ", misses.Select(w => $"seed {w.Seed} {w.Family} {w.Worst:G3}"))}; median |ln ratio| {sorted[20]:G3}";
        Assert.True(misses.Count <= 4, said);
        Assert.True(sorted[20] < 0.05, said);
    }
}
