namespace Lab.Fit;

/// <summary>
/// What every family's least squares on log error shares, so that no part of a curve decides the fit by numbers alone:
/// <list type="bullet">
/// <item><b>Spacing weights</b>: a point counts by the stretch of log m it stands for (half the log distance to each
/// neighbour; an end point, the distance to its one neighbour), but never by less than a point at a smaller size does
/// (the stretches are made non-decreasing in m), normalised to mean 1. Doubling sizes all weigh 1; a crowded small-m
/// end no longer outvotes the larger sizes, while a crowded large-m end (sizes spaced linearly) keeps its full weight:
/// those are the points nearest the extrapolation. A weight is kept within [1/8, 8] of the average spacing's, so one
/// isolated point cannot decide a fit alone.</item>
/// <item><b>Noise</b>: a robust estimate of the log-error noise of a single point, from the seeds' spread where points
/// carry seeds, else from the third differences of log error in order of m (median absolute deviation, scaled to a
/// standard deviation): a smooth curve's slope and curvature cancel there, so a noise-free curve reads almost 0.</item>
/// <item><b>Floor cap</b>: an irreducible error must lie below the smallest observed error, and where the points carry
/// seeds, below it by two of the seeds' noise sds (the noise alone can put the last point low). Without seeds there is
/// no measurement of the noise to take a margin from: third differences read a sharp bend as noise, and until
/// 2026-12-07 a margin of two such sds held the floors of curves that had flattened visibly — published NMT curves —
/// well under their last points.</item>
/// <item><b>Huber loss</b> by iteratively reweighted least squares: after a weighted fit, points whose log residual
/// exceeds δ = 1.345 × the residuals' robust scale (1.4826 × their median absolute value; at least 10⁻³) are down-weighted by
/// δ/|r| and the fit is polished from where it was; two rounds. An outlier or a one-point step then pulls the fit
/// linearly, not quadratically. Residuals under δ keep their weight, so an exact fit is unchanged.</item>
/// </list>
/// </summary>
public static class RobustLoss
{
    /// <summary>Huber's constant (95 % efficiency under Gaussian noise).</summary>
    public const double HuberK = 1.345;
    /// <summary>Smallest Huber threshold in log error: residuals under 0.1 % are never down-weighted.</summary>
    public const double MinDelta = 1e-3;
    /// <summary>How many noise standard deviations the plateau may lie below the largest error.</summary>
    public const double PlateauMarginSd = 2;
    /// <summary>How many of the seeds' noise standard deviations the floor stays below the smallest error.</summary>
    public const double FloorMarginSd = 2;

    /// <summary>Spacing weights of points sorted by m (repeats, as in a bootstrap resample, each weigh as their size does).</summary>
    public static double[] SpacingWeights(IReadOnlyList<Observation> pts)
    {
        int n = pts.Count;
        var w = new double[n];
        if (n < 3) { Array.Fill(w, 1.0); return w; }
        var xs = pts.Select(p => Math.Log(p.M)).Distinct().OrderBy(x => x).ToArray();
        if (xs.Length < 3) { Array.Fill(w, 1.0); return w; }
        var span = new Dictionary<double, double>();
        for (int i = 0; i < xs.Length; i++)
            span[xs[i]] = i == 0 ? xs[1] - xs[0] : i == xs.Length - 1 ? xs[^1] - xs[^2] : (xs[i + 1] - xs[i - 1]) / 2;
        double average = (xs[^1] - xs[0]) / (xs.Length - 1);
        if (!(average > 0)) { Array.Fill(w, 1.0); return w; }
        // never less than a point at a smaller size: crowding discounts the small-m end only
        double atLeast = 0;
        foreach (var x in xs) span[x] = atLeast = Math.Max(atLeast, span[x]);
        for (int i = 0; i < n; i++) w[i] = Math.Clamp(span[Math.Log(pts[i].M)] / average, 0.125, 8);
        double mean = w.Average();
        for (int i = 0; i < n; i++) w[i] /= mean;
        return w;
    }

    /// <summary>The robust standard deviation of one point's log error: the seeds' (<see cref="SeedNoise"/>), else from third differences (0 with fewer than four sizes).</summary>
    public static double Noise(IReadOnlyList<Observation> pts)
        => SeedNoise(pts) is double seeds ? seeds : DifferenceNoise(pts);

    /// <summary>The seeds' noise (the median standard error of a point's mean log error) where at least half the points
    /// carry seeds; null otherwise.</summary>
    public static double? SeedNoise(IReadOnlyList<Observation> pts)
    {
        var seeded = pts.Where(p => p.Replicates.Count > 1 && p.Replicates.ForAll(v => v > 0 && double.IsFinite(v)))
            .Select(p =>
            {
                var l = p.Replicates.Map(Math.Log).ToArray();
                double mean = l.Average();
                return Math.Sqrt(l.Sum(v => (v - mean) * (v - mean)) / (l.Length - 1) / l.Length);
            }).ToArray();
        return seeded.Length >= Math.Max(2, pts.Count / 2) ? Median(seeded) : null;
    }

    /// <summary>The noise read from the third differences of log error (0 with fewer than four sizes).</summary>
    static double DifferenceNoise(IReadOnlyList<Observation> pts)
    {
        // third differences of log error (in order of m): a smooth curve's trend and curvature cancel, iid noise of sd
        // σ leaves sd σ·√20
        var y = pts.GroupBy(p => p.M).OrderBy(g => g.Key).Select(g => Math.Log(g.First().Error)).ToArray();
        if (y.Length < 4) return 0;
        var r = new double[y.Length - 3];
        for (int i = 0; i < r.Length; i++) r[i] = Math.Abs(y[i + 3] - 3 * y[i + 2] + 3 * y[i + 1] - y[i]) / Math.Sqrt(20);
        return 1.4826 * Median(r);
    }

    /// <summary>The largest floor the points support: below the smallest error, by <see cref="FloorMarginSd"/> of the
    /// seeds' noise where the points carry seeds (the noise alone can put the last point low), else just below it.</summary>
    public static double FloorCap(IReadOnlyList<Observation> pts)
        => pts.Min(p => p.Error) * Math.Exp(-FloorMarginSd * (SeedNoise(pts) ?? 0)) * (1 - 1e-9);

    /// <summary>The lowest plateau (error at no data) the points support: the largest error less <see cref="PlateauMarginSd"/>
    /// noise sds (the first points of a curve still on its plateau scatter around it, so the noise alone can put one above it).</summary>
    public static double PlateauFloor(IReadOnlyList<Observation> pts)
        => pts.Max(p => p.Error) * Math.Exp(-PlateauMarginSd * Noise(pts));

    /// <summary>
    /// A Huber fit by iteratively reweighted least squares around a family's weighted fit
    /// (<paramref name="weightedFit"/>(weights, start) → parameters or null), with <paramref name="logPredict"/>(θ, m) its log error.
    /// </summary>
    public static double[]? Fit(IReadOnlyList<Observation> pts, double[]? start, Func<double[], double[]?, double[]?> weightedFit,
        Func<double[], double, double> logPredict, int rounds = 2)
    {
        var w0 = SpacingWeights(pts);
        var theta = weightedFit(w0, start);
        if (theta is null) return null;
        for (int round = 0; round < rounds; round++)
        {
            var r = pts.Select(p => Math.Log(p.Error) - logPredict(theta, p.M)).ToArray();
            if (r.Any(v => !double.IsFinite(v))) break;
            double delta = HuberK * Math.Max(1.4826 * Median(r.Select(Math.Abs).ToArray()), MinDelta);
            if (r.All(v => Math.Abs(v) <= delta)) break;
            var w = w0.Select((v, i) => v * Math.Min(1, delta / Math.Abs(r[i]))).ToArray();
            var next = weightedFit(w, theta);
            if (next is null || next.Any(v => !double.IsFinite(v))) break;
            theta = next;
        }
        return theta;
    }

    /// <summary>The median (NaN when empty).</summary>
    public static double Median(double[] v) => CurveFitter.Quantile(v, 0.5);
}
