namespace Lab.Fit;

/// <summary>
/// The three regions of a learning curve (Hestness et al. 2017), from the domain's best-guess error E (e.g. ln V for
/// a V-word vocabulary, 1 − 1/K for K classes), the fitted curve eps(m) and its floor F (gamma; a for the broken law;
/// 0 for the pure power law). A point with observed error e at size m is
/// <list type="bullet">
/// <item><c>small-data</c> when E − e &lt; 0.1·(E − F): it has closed less than a tenth of the gap between the best
/// guess and the floor (the model is barely better than guessing);</item>
/// <item><c>irreducible</c> when eps(m) − F &lt; 0.1·eps(m): the reducible part is under a tenth of the predicted error,
/// i.e. the local log-log slope of the curve has flattened to under a tenth of its power-law exponent;</item>
/// <item><c>power-law</c> otherwise.</item>
/// </list>
/// Without a best guess no point is labelled small-data.
/// </summary>
public static class Regions
{
    /// <summary>Fraction that bounds the small-data and irreducible regions.</summary>
    public const double Fraction = 0.1;

    /// <summary>The region of each point.</summary>
    public static string[] Label(CurveFit fit, IReadOnlyList<Observation> points, double? bestGuess)
    {
        double floor = fit.Family.Floor(fit.Theta);
        return points.Select(p =>
        {
            if (bestGuess is double e && e > floor && e - p.Error < Fraction * (e - floor)) return "small-data";
            double predicted = fit.Predict(p.M);
            return floor > 0 && predicted - floor < Fraction * predicted ? "irreducible" : "power-law";
        }).ToArray();
    }
}
