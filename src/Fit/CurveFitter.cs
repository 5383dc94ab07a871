using LanguageExt;
using static LanguageExt.Prelude;

namespace Lab.Fit;

/// <summary>Validates a curve, fits a family to it, and bootstraps 95% intervals by resampling points (fixed seed).</summary>
public static class CurveFitter
{
    /// <summary>The smallest relative half-width of a parameter's interval (the fits' numerical resolution).</summary>
    public const double Resolution = 1e-6;

    /// <summary>The families known by name.</summary>
    public static readonly Seq<ICurveFamily> Families = Seq<ICurveFamily>(new PowerLaw(), new PowerLawIrreducible(), new SaturatingPowerLaw(), new BrokenPowerLaw());

    /// <summary>A family by name (power, power-irreducible, saturating, broken).</summary>
    public static Option<ICurveFamily> Family(string name) => Families.Find(f => f.Name.Equals(name, StringComparison.OrdinalIgnoreCase));

    /// <summary>Checks that the points can be fitted by a family with k parameters: more points than parameters (a point
    /// to spare), positive finite values, one error per size, not all equal.</summary>
    public static Either<FitError, Seq<Observation>> Validate(string curve, IEnumerable<Observation> points, int k)
    {
        var pts = points.OrderBy(p => p.M).ToSeq();
        if (pts.Exists(p => !double.IsFinite(p.M) || !double.IsFinite(p.Error)))
            return new FitError(curve, "a size or error is NaN or infinite");
        if (pts.Exists(p => p.M <= 0 || p.Error <= 0))
            return new FitError(curve, "sizes and errors must be positive (the fit is on their logarithms)");
        var dup = pts.GroupBy(p => p.M).FirstOrDefault(g => g.Count() > 1);
        if (dup is not null) return new FitError(curve, $"size m={dup.Key} appears {dup.Count()} times; give one error per size");
        if (pts.Count <= k)
            return new FitError(curve, $"{pts.Count} points cannot determine {k} parameters with a point to spare (a curve through every point leaves no residual, so nothing measures its error; its interval would have zero width)");
        if (pts.Map(p => p.Error).Distinct().Count() == 1) return new FitError(curve, "the error is the same at every size; there is no curve to fit");
        return pts;
    }

    /// <summary>Fits the family with a bootstrap of <paramref name="resamples"/> refits for the intervals.</summary>
    public static Either<FitError, CurveFit> Fit(string curve, IEnumerable<Observation> points, ICurveFamily family, int resamples = 1000, int seed = 17)
        => Validate(curve, points, family.ParameterNames.Count).Bind(pts =>
        {
            var theta = family.Fit(pts.ToArray(), null);
            if (theta is null || theta.Any(v => !double.IsFinite(v)))
                return Left<FitError, CurveFit>(new FitError(curve, $"the {family.Name} fit did not converge"));
            var boot = Bootstrap(pts, family, theta, resamples, seed);
            var estimates = family.ParameterNames.Select((name, j) =>
            {
                var vals = boot.Select(b => b.Theta[j]).ToArray();
                // never narrower than the fit's numerical resolution (relative 1e-6) on either side: a noise-free
                // curve of exactly the family's shape is known to that, not exactly
                double res = Resolution * Math.Max(Math.Abs(theta[j]), 1e-300);
                return vals.Length >= 20
                    ? new Estimate(name, theta[j], Math.Min(Quantile(vals, 0.025), theta[j] - res), Math.Max(Quantile(vals, 0.975), theta[j] + res))
                    : new Estimate(name, theta[j], double.NaN, double.NaN);
            }).ToSeq();
            return Right<FitError, CurveFit>(new CurveFit(curve, family, estimates, LogRmse(family, theta, pts), pts, boot.ToSeq()));
        });

    /// <summary>
    /// Refits on resampled points (with replacement), in parallel; resample r draws its positions from a generator
    /// seeded with (seed, r), so results do not depend on threads and the same r resamples the same positions in any
    /// curve of n points. Resamples with fewer distinct sizes than parameters, or whose fit fails, are left out.
    /// </summary>
    public static List<BootstrapFit> Bootstrap(Seq<Observation> pts, ICurveFamily family, double[] theta, int resamples, int seed)
    {
        int k = family.ParameterNames.Count, n = pts.Count;
        var arr = pts.ToArray();
        var fits = new BootstrapFit?[resamples];
        Parallel.For(0, resamples, r =>
        {
            var sample = Positions(n, r, seed).Select(i => arr[i]).ToArray();
            sample = WithSeedNoise(sample, r, seed);
            var distinct = sample.GroupBy(p => p.M).Select(g => g.First()).ToArray();
            if (distinct.Length < k || distinct.Select(p => p.Error).Distinct().Count() == 1) return;
            var fit = family.Fit(sample.OrderBy(p => p.M).ToArray(), theta);
            if (fit is not null && fit.All(double.IsFinite)) fits[r] = new BootstrapFit(r, fit);
        });
        return fits.Where(f => f is not null).Select(f => f!).ToList();
    }

    /// <summary>
    /// The second level of the bootstrap: a point that carries its seeds' errors gets, in resample r, the mean of as many
    /// errors drawn from them with replacement (a generator seeded with (seed, r, position)), so a noisy point moves as much
    /// as its seeds say. Points without seeds keep their error.
    /// </summary>
    public static Observation[] WithSeedNoise(Observation[] sample, int r, int seed)
    {
        if (!sample.Any(p => p.Replicates.Count > 1)) return sample;
        return sample.Select((p, i) =>
        {
            var reps = p.Replicates;
            if (reps.Count <= 1 || reps.Exists(v => !double.IsFinite(v) || v <= 0)) return p;
            var rng = new Random(unchecked(seed * 1_000_003 + r * 7919 + i * 104_729 + 1));
            return p with { Error = Enumerable.Range(0, reps.Count).Average(_ => reps[rng.Next(reps.Count)]) };
        }).ToArray();
    }

    /// <summary>The point positions (0..n-1, with repeats) of bootstrap resample r.</summary>
    public static int[] Positions(int n, int r, int seed)
    {
        var rng = new Random(unchecked(seed * 1_000_003 + r * 7919 + n));
        return Enumerable.Range(0, n).Select(_ => rng.Next(n)).ToArray();
    }

    /// <summary>Root mean square of the log residuals.</summary>
    public static double LogRmse(ICurveFamily family, IReadOnlyList<double> theta, Seq<Observation> pts)
        => Math.Sqrt(pts.Map(p => Math.Pow(Math.Log(family.Predict(theta, p.M)) - Math.Log(p.Error), 2)).Sum() / pts.Count);

    /// <summary>Linear-interpolated quantile of the values.</summary>
    public static double Quantile(double[] values, double q)
    {
        var s = values.OrderBy(v => v).ToArray();
        if (s.Length == 0) return double.NaN;
        double pos = q * (s.Length - 1);
        int lo = (int)Math.Floor(pos), hi = Math.Min(s.Length - 1, lo + 1);
        return s[lo] + (s[hi] - s[lo]) * (pos - lo);
    }
}
