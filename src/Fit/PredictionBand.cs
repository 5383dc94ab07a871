using LanguageExt;

namespace Lab.Fit;

/// <summary>
/// The 95 % band of the error predicted at a size, with every uncertainty the analysis can measure, in log error:
/// <list type="bullet">
/// <item>the chosen fit's bootstrap band (the points' and seeds' noise through its parameters);</item>
/// <item>beyond the largest fitted size, the extrapolation error the rolling-origin backtests measured: their squared
/// log errors, less what the points' noise alone explains, grow as <c>Drift²·d²</c> with d the doublings beyond the
/// fitted points; 1.96·Drift·d is added in quadrature to each side (the family being wrong, which no bootstrap of one
/// family sees). A prior counts as one backtest one doubling out that missed by half the fall the curve predicts over
/// that doubling (the local exponent uncertain by ±50 %), so a curve with few or no backtests is not taken to
/// extrapolate perfectly; with several backtests the measured drift decides;</item>
/// <item>beyond the largest fitted size, the chosen fit's own systematic miss over the top doubling of its data
/// (<see cref="TailBias"/>): a fit that already runs off its last points in one direction — a break or a step it has
/// no shape for, which backtests cut before it cannot see — will run off further beyond them; 1.96·bias·(1 + d) is
/// added in quadrature (the miss at the data's end, growing by as much per doubling);</item>
/// <item>the bands of the families the selection could not tell from the chosen one (<see cref="Selection.Tied"/>):
/// the band holds them too (model-selection uncertainty), and the predicted error is the average of the chosen and
/// the tied families' predictions (geometric mean, equal weights: the backtests could not rank them);</item>
/// <item>the predictions of the families the backtests ranked below the chosen one but not decisively
/// (<see cref="Selection.Plausible"/>, <see cref="Plausible"/>): the band reaches them, so where the families that fit
/// the data about as well disagree beyond it, the band says so;</item>
/// <item>never narrower than <see cref="Resolution"/> on either side (the fits' numerical resolution: a noise-free
/// curve is known to that, not exactly).</item>
/// </list>
/// </summary>
/// <param name="Fit">The chosen fit (its prediction is the band's centre).</param>
/// <param name="Tied">Fits of the tied families on the same points.</param>
/// <param name="LargestM">The largest fitted size.</param>
/// <param name="Drift">Backtest extrapolation error per doubling (log error, one sd); 0 without backtests.</param>
public sealed record PredictionBand(CurveFit Fit, Seq<CurveFit> Tied, double LargestM, double Drift)
{
    /// <summary>The smallest half-width of a band, in log error.</summary>
    public const double Resolution = 1e-6;
    const double Z = 1.959964;
    /// <summary>How uncertain the prior takes the local exponent to be (a share of it).</summary>
    public const double PriorShare = 0.5;

    /// <summary>The band of a chosen fit: drift from its backtests (less the noise), tied fits as given.</summary>
    public static PredictionBand Of(CurveFit fit, Seq<Backtest> backtests, Seq<CurveFit> tied)
    {
        double noise = RobustLoss.Noise(fit.Points.ToArray());
        // the prior: one pseudo-backtest one doubling out, off by half the curve's own fall over that doubling
        // (its local exponent uncertain by ±50 %); real backtests outweigh it as they accumulate
        double top = fit.Points.Max(p => p.M);
        double slope = Math.Log(fit.Predict(top * Math.Sqrt(2)) / fit.Predict(top / Math.Sqrt(2))) / Math.Log(2);
        double prior = double.IsFinite(slope) ? PriorShare * Math.Abs(slope) * Math.Log(2) : 0;
        double num = prior * prior, den = 1;
        foreach (var b in backtests)
        {
            double d = b.Doublings;
            if (!double.IsFinite(b.LogError) || !(d > 0)) continue;
            num += Math.Max(0, b.LogError * b.LogError - noise * noise) * d * d;
            den += d * d * d * d;
        }
        double drift = den > 0 ? Math.Sqrt(num / den) : 0;
        return new PredictionBand(fit, tied, top, drift) { TailBias = Bias(fit, noise) };
    }

    /// <summary>The chosen fit's systematic miss at the end of its data, in log error: |mean ln(observed / fitted)| over
    /// the points of the top doubling, less two standard errors of that mean under the points' noise (0 when the noise
    /// explains it).</summary>
    public static double Bias(CurveFit fit, double noise)
    {
        double top = fit.Points.Max(p => p.M);
        var tail = fit.Points.Where(p => p.M >= top / 2 * (1 - 1e-9)).Select(p => Math.Log(p.Error / fit.Predict(p.M))).Where(double.IsFinite).ToList();
        if (tail.Count == 0) return 0;
        return Math.Max(0, Math.Abs(tail.Average()) - 2 * noise / Math.Sqrt(tail.Count));
    }

    /// <summary>The chosen fit's miss over the top doubling of its data beyond its noise (<see cref="Bias"/>).</summary>
    public double TailBias { get; init; }

    /// <summary>Fits of the families the backtests ranked below the chosen one but not decisively: the band holds their
    /// predictions (not their bands; they do not move the predicted error).</summary>
    public Seq<CurveFit> Plausible { get; init; }

    /// <summary>The extra half-width beyond the data at m, in log error: the backtests' drift and the fit's tail bias,
    /// each grown with the doublings beyond the data, in quadrature.</summary>
    public double Extrapolation(double m)
    {
        if (!(m > LargestM)) return 0;
        double d = Math.Log2(m / LargestM), drift = Z * Drift * d, bias = Z * TailBias * (1 + d);
        return Math.Sqrt(drift * drift + bias * bias);
    }

    /// <summary>The error expected at m with its band (NaN bounds when the chosen fit has too few bootstrap refits).</summary>
    public Projection At(double m)
    {
        var own = Projection.ErrorAt(Fit, m);
        if (!(own.Value > 0)) return own;
        var tied = Tied.Map(t => Projection.ErrorAt(t, m)).Filter(p => p.Value > 0).ToList();
        // the predicted error: the geometric mean of the chosen and the tied families' predictions
        double centre = (Math.Log(own.Value) + tied.Sum(p => Math.Log(p.Value))) / (1 + tied.Count);
        if (!double.IsFinite(own.Lower) || !double.IsFinite(own.Upper)) return own with { Value = Math.Exp(centre) };   // no bootstrap: no band
        double extra = Extrapolation(m);
        (double Lo, double Hi) Widen(Projection p)
        {
            double c = Math.Log(p.Value);
            double lo = Math.Max(c - Math.Log(Math.Max(p.Lower, 1e-300)), 0), hi = Math.Max(Math.Log(p.Upper) - c, 0);
            return (c - Math.Max(Math.Sqrt(lo * lo + extra * extra), Resolution), c + Math.Max(Math.Sqrt(hi * hi + extra * extra), Resolution));
        }
        var (l, h) = Widen(own);
        foreach (var p in tied.Where(p => double.IsFinite(p.Lower) && double.IsFinite(p.Upper)))
        {
            var (tl, th) = Widen(p);
            l = Math.Min(l, tl); h = Math.Max(h, th);
        }
        foreach (var f in Plausible)
        {
            double v = f.Predict(m);
            if (v > 0 && double.IsFinite(v)) { l = Math.Min(l, Math.Log(v)); h = Math.Max(h, Math.Log(v)); }
        }
        l = Math.Min(l, centre - Resolution); h = Math.Max(h, centre + Resolution);
        return own with { Value = Math.Exp(centre), Lower = Math.Exp(l), Upper = Math.Exp(h) };
    }

    /// <summary>The size needed for a target error: where the predicted error reaches it (the chosen fit's, or the tied
    /// families' average), with the sizes where the band's lower and upper edges reach the target as its interval
    /// (upper +∞ where the upper edge never does).</summary>
    public Projection SizeFor(double target)
    {
        var own = Projection.SizeFor(Fit, target);
        if (!own.Reachable) return own;
        double lo = Math.Log(Fit.Points.Min(p => p.M)) - 2 * Math.Log(2), hi = Math.Log(1e18);
        // the band on the scan's grid, computed once for the three edges' scans
        var grid = new Dictionary<double, Projection>();
        Projection OnGrid(double x) => grid.TryGetValue(x, out var p) ? p : grid[x] = At(Math.Exp(x));
        double? First(Func<Projection, double> edge)
        {
            if (edge(OnGrid(lo)) <= target) return Math.Exp(lo);
            double prev = lo;
            for (double x = lo + 0.1; x <= hi; x += 0.1)
            {
                var e = edge(OnGrid(x));
                if (!double.IsFinite(e)) return null;
                if (e <= target)
                {
                    double a = prev, b = x;
                    for (int i = 0; i < 40; i++) { double c = (a + b) / 2; if (edge(At(Math.Exp(c))) <= target) b = c; else a = c; }
                    return Math.Exp(b);
                }
                prev = x;
            }
            return null;
        }
        // with tied families the predicted error is their average: the size is where that reaches the target
        double value = Tied.Count > 0 && First(p => p.Value) is double averaged ? averaged : own.Value;
        var lower = First(p => p.Lower);
        var upper = First(p => p.Upper);
        if (lower is null) return own with { Value = value };   // no band: the bootstrap interval stands
        return own with { Value = value, Lower = Math.Min(lower.Value, value), Upper = upper is double u ? Math.Max(u, value) : double.PositiveInfinity };
    }
}
