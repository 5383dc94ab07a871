using LanguageExt;
using static LanguageExt.Prelude;

namespace Lab.Fit;

/// <summary>The shapes of learning curve the calibration suite draws (truth known, so coverage can be counted).</summary>
public enum CurveKind
{
    /// <summary>alpha·m^beta.</summary>
    Pure,
    /// <summary>alpha·m^beta + gamma.</summary>
    Floor,
    /// <summary>One break of slope (BNSL with one break): the slope steepens or flattens inside the data.</summary>
    Broken,
    /// <summary>A plateau at the start, then a fall onto a floor (logistic in log m): the error saturates.</summary>
    Saturating,
    /// <summary>Two sharp steps between plateaus (as emergent abilities): a staircase.</summary>
    Steps,
}

/// <summary>How the sizes are laid out.</summary>
public enum Spacing
{
    /// <summary>Doubling sizes (as the studies' shards).</summary>
    Doubling,
    /// <summary>Sizes a factor 4 apart.</summary>
    Sparse,
    /// <summary>Many sizes, log-uniform (as checkpoints of one long run).</summary>
    Dense,
    /// <summary>Many sizes, evenly spaced in m (crowded at the large end in log m).</summary>
    Linear,
}

/// <summary>
/// One synthetic curve of the calibration suite: its shape and parameters (<paramref name="Theta"/>, by kind), the fitted
/// sizes (<paramref name="FitPoints"/> of them from <paramref name="M0"/>, laid out by <paramref name="Spacing"/>), the
/// held-out sizes beyond them up to <see cref="Reach"/>× the largest fitted size, and multiplicative log-normal noise
/// of sd <paramref name="Noise"/> drawn from <paramref name="Seed"/>.
/// </summary>
public sealed record SyntheticCurve(CurveKind Kind, double[] Theta, double M0, int FitPoints, Spacing Spacing, double Noise, int Seed)
{
    /// <summary>How far the held-out points reach beyond the fitted ones (the question asked: up to 4× the data).</summary>
    public const double Reach = 4;

    /// <summary>The log-range of the fitted sizes.</summary>
    double Span => Spacing switch
    {
        Spacing.Doubling => (FitPoints - 1) * Math.Log(2),
        Spacing.Sparse => (FitPoints - 1) * Math.Log(4),
        _ => Math.Log(2) * Math.Clamp(3 + FitPoints / 12.0, 4, 10),
    };

    /// <summary>The fitted sizes.</summary>
    public double[] FitSizes => Spacing switch
    {
        Spacing.Linear => Enumerable.Range(0, FitPoints).Select(i => M0 + (M0 * Math.Exp(Span) - M0) * i / (FitPoints - 1)).ToArray(),
        _ => Enumerable.Range(0, FitPoints).Select(i => M0 * Math.Exp(Span * i / (FitPoints - 1))).ToArray(),
    };

    /// <summary>The held-out sizes: the fitted layout's step continued (at most 8 of them, evenly spread) up to Reach×.</summary>
    public double[] HeldSizes
    {
        get
        {
            var fit = FitSizes;
            double top = fit[^1], end = top * Reach;
            var held = new List<double>();
            if (Spacing == Spacing.Linear)
            {
                double step = fit[^1] - fit[^2];
                for (double m = top + step; m <= end * (1 + 1e-12) && held.Count < 100_000; m += step) held.Add(m);
            }
            else
            {
                double ratio = fit[^1] / fit[^2];
                for (double m = top * ratio; m <= end * (1 + 1e-12); m *= ratio) held.Add(m);
                if (held.Count == 0) held.Add(end);
            }
            if (held.Count <= 8) return held.ToArray();
            return Enumerable.Range(0, 8).Select(i => held[(int)Math.Round((held.Count - 1) * (i + 1) / 8.0)]).Distinct().ToArray();
        }
    }

    /// <summary>The true error at m.</summary>
    public double Truth(double m) => Kind switch
    {
        CurveKind.Pure => Theta[0] * Math.Pow(m, Theta[1]),
        CurveKind.Floor => Theta[0] * Math.Pow(m, Theta[1]) + Theta[2],
        CurveKind.Broken => new BrokenPowerLaw().Predict(Theta, m),
        CurveKind.Saturating => Theta[0] + (Theta[1] - Theta[0]) / (1 + Math.Pow(m / Theta[2], Theta[3])),
        _ => Theta[0] + Theta[1] / (1 + Math.Pow(m / Theta[2], Theta[3])) + Theta[4] / (1 + Math.Pow(m / Theta[5], Theta[6])),
    };

    /// <summary>Whether the shape's change lies beyond the fitted sizes, where no fit can see it: a broken curve's break, a
    /// saturating curve's transition midpoint, a staircase's second step (false for pure and floored curves).</summary>
    public bool ChangeBeyondData => Kind switch
    {
        CurveKind.Broken => Theta[4] > FitSizes[^1],
        CurveKind.Saturating => Theta[2] > FitSizes[^1],
        CurveKind.Steps => Theta[5] > FitSizes[^1],
        _ => false,
    };

    /// <summary>The observed curve: fitted points, then held-out ones (split "holdout"), each with its noise.</summary>
    public List<CurvePoint> Observed()
    {
        var rng = new Random(Seed);
        double Shock() => Noise * Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
        return FitSizes.Select(m => new CurvePoint(m, Truth(m) * Math.Exp(Shock())))
            .Concat(HeldSizes.Select(m => new CurvePoint(m, Truth(m) * Math.Exp(Shock()), "holdout"))).ToList();
    }

    /// <inheritdoc />
    public override string ToString() => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"{Kind} [{string.Join(", ", Theta.Select(t => t.ToString("G4", System.Globalization.CultureInfo.InvariantCulture)))}], {FitPoints} {Spacing} sizes from {M0:G3}, noise {Noise}, seed {Seed}");

    /// <summary>
    /// A curve of the kind from uniform draws <paramref name="u"/> (each in [0, 1), at least 8; FsCheck or a seeded
    /// generator supplies them) with the layout and noise given. The parameters are drawn so the interesting part of
    /// the shape (floor, break, transition, steps) lies between the first size and the end of the held-out reach, so
    /// some curves show it in the fitted part and some only beyond it.
    /// </summary>
    public static SyntheticCurve Draw(CurveKind kind, double[] u, int fitPoints, Spacing spacing, double noise, int seed)
    {
        double m0 = Math.Pow(10, 1 + 3 * u[0]);
        var probe = new SyntheticCurve(kind, [1, -0.5], m0, fitPoints, spacing, noise, seed);
        double lo = Math.Log(m0), hi = Math.Log(probe.FitSizes[^1] * Reach);
        double At(double t) => Math.Exp(lo + t * (hi - lo));   // a size a fraction t along the whole range
        double first = Math.Pow(10, -0.5 + 2 * u[1]);           // error at m0: 0.3 … 30
        double[] theta = kind switch
        {
            CurveKind.Pure => Pure(first, m0, -(0.05 + 0.95 * u[2])),
            CurveKind.Floor => Floored(first, m0, -(0.1 + 0.9 * u[2]), 0.05 + 0.9 * u[3], At(1)),
            CurveKind.Broken => BrokenTheta(first, m0, u, At(0.2 + 0.6 * u[4])),
            CurveKind.Saturating => [first * (0.02 + 0.5 * u[3]), first * 1.05, At(0.1 + 0.6 * u[4]), 0.5 + 2 * u[2]],
            _ => [first * (0.02 + 0.3 * u[3]), first * (0.2 + 0.5 * u[5]), At(0.15 + 0.35 * u[4]), 3 + 5 * u[2],
                  first * (0.1 + 0.4 * u[6]), At(0.5 + 0.45 * u[7]), 3 + 5 * u[5]],
        };
        return new SyntheticCurve(kind, theta, m0, fitPoints, spacing, noise, seed);
    }

    static double[] Pure(double first, double m0, double beta) => [first * Math.Pow(m0, -beta), beta];

    /// <summary>A floor that is <paramref name="share"/> of the error at <paramref name="end"/>.</summary>
    static double[] Floored(double first, double m0, double beta, double share, double end)
    {
        // eps(m0) = first, gamma = share · eps(end): a·m0^b + g = first, g = share·(a·end^b + g)
        double r = Math.Pow(end / m0, beta);
        double a = first / (Math.Pow(m0, beta) * (1 + share * r / (1 - share)));
        double g = share / (1 - share) * a * Math.Pow(end, beta);
        return [a, beta, g];
    }

    static double[] BrokenTheta(double first, double m0, double[] u, double d)
    {
        double c0 = 0.02 + 0.6 * u[2], c1 = -0.8 * c0 + (0.2 + 0.8 * u[3]) * (u[5] < 0.5 ? -0.3 : 1.2);  // steepens or flattens
        c1 = Math.Max(c1, -c0 + 0.02);
        double a = u[6] < 0.4 ? 0 : first * 0.05 * u[7];
        double f = 0.2 + 1.3 * u[1];
        double b = Math.Max(first - a, first * 0.1) / (Math.Pow(m0, -c0) * Math.Pow(1 + Math.Pow(m0 / d, 1 / f), -c1 * f));
        return [a, b, c0, c1, d, f];
    }

    /// <summary>The suite: every kind × layout × noise level, <paramref name="perCell"/> curves each, drawn from a seeded generator.</summary>
    public static Seq<SyntheticCurve> Suite(int perCell, int seed = 2026)
    {
        var rng = new Random(seed);
        var curves = new List<SyntheticCurve>();
        int k = 0;
        foreach (var kind in Enum.GetValues<CurveKind>())
            foreach (var spacing in Enum.GetValues<Spacing>())
                foreach (var noise in NoiseLevels)
                    for (int i = 0; i < perCell; i++)
                    {
                        int n = spacing switch
                        {
                            Spacing.Doubling => 3 + rng.Next(10),      // 3 … 12
                            Spacing.Sparse => 3 + rng.Next(5),         // 3 … 7
                            _ => 12 + rng.Next(189),                   // 12 … 200
                        };
                        var u = Enumerable.Range(0, 8).Select(_ => rng.NextDouble()).ToArray();
                        curves.Add(Draw(kind, u, n, spacing, noise, seed * 7919 + k++));
                    }
        return curves.ToSeq();
    }

    /// <summary>The noise levels of the suite: none, 1 %, 5 %, 15 % (log sd).</summary>
    public static readonly double[] NoiseLevels = [0, 0.01, 0.05, 0.15];
}

/// <summary>What one curve of the suite gave: held-out points whose true error fell inside the band, their count, the
/// RMSLE against the observed held-out points (as published estimators are scored) and against the truth, whether an
/// interval had zero width, or why it could not be fitted; and per held-out point how far the truth lay from the
/// prediction in units of the band's half-width on its side (<see cref="MissToBand"/>).</summary>
public sealed record CalibrationResult(SyntheticCurve Curve, int Covered, int Held, double Rmsle, double RmsleTruth, bool ZeroWidth, string Family, string Error,
    double Drift = double.NaN, int Tied = 0)
{
    /// <summary>Per held-out point, |ln(truth / predicted)| over the band's half-width in log error on the truth's side
    /// (≤ 1 exactly when the band holds the truth). Coverage says whether a band is wide enough; these say by how much:
    /// for a band that is as wide as it must be and no wider, under Gaussian misses, their median is about 0.34 and
    /// their 95th percentile 1; a median of 0.1 means a band about three times too wide.</summary>
    public double[] MissToBand { get; init; } = [];

    /// <summary>The fraction of its held-out truth inside the band.</summary>
    public double Coverage => Held == 0 ? double.NaN : (double)Covered / Held;

    /// <summary>Fits one curve (the held-out split is the question) and scores the band and the prediction.</summary>
    public static CalibrationResult Of(SyntheticCurve c, int resamples)
    {
        var pts = c.Observed();
        return CurveAnalysis.Run(c.Kind.ToString(), pts, new AnalysisOptions(Resamples: resamples)).Match(a =>
        {
            var held = a.Predictions.Filter(p => p.Split == "holdout").ToList();
            int covered = held.Count(p => p.Lower <= c.Truth(p.M) && c.Truth(p.M) <= p.Upper);
            double rmsle = Math.Sqrt(held.Average(p => Math.Pow(Math.Log(p.Predicted / p.Observed), 2)));
            double truth = Math.Sqrt(held.Average(p => Math.Pow(Math.Log(p.Predicted / c.Truth(p.M)), 2)));
            bool zero = a.Predictions.Exists(p => !(p.Upper > p.Lower)) || a.Fit.Parameters.Exists(e => double.IsFinite(e.Lower) && !(e.Upper > e.Lower));
            var ratios = held.Select(p =>
            {
                double miss = Math.Log(c.Truth(p.M) / p.Predicted);
                double half = miss >= 0 ? Math.Log(p.Upper / p.Predicted) : Math.Log(p.Predicted / p.Lower);
                return miss == 0 ? 0 : Math.Abs(miss) / half;
            }).ToArray();
            return new CalibrationResult(c, covered, held.Count, rmsle, truth, zero, a.Fit.Family.Name, "", a.Band.Drift, a.Selection.Tied.Count)
                { MissToBand = ratios };
        }, e => new CalibrationResult(c, 0, 0, double.NaN, double.NaN, false, "", e.Message));
    }
}
