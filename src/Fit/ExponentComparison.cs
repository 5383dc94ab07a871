namespace Lab.Fit;

/// <summary>
/// Are two curves' exponents equal? The difference of their large-m exponents with a 95% interval from bootstrap
/// refits paired by resample number (paired resampling when both curves have the same sizes). Verdict "differ" when
/// the interval excludes 0, else "indistinguishable".
/// </summary>
public sealed record ExponentComparison(string CurveA, string CurveB, double ExponentA, double ExponentB,
    double Difference, double Lower, double Upper, int Pairs, string Verdict)
{
    /// <summary>Compares two fits.</summary>
    public static ExponentComparison Of(CurveFit a, CurveFit b)
    {
        var bIndex = b.Bootstrap.ToDictionary(x => x.Resample, x => x.Theta);
        var diffs = a.Bootstrap.Where(x => bIndex.ContainsKey(x.Resample))
            .Select(x => a.Family.Exponent(x.Theta) - b.Family.Exponent(bIndex[x.Resample])).ToArray();
        double ea = a.Family.Exponent(a.Theta), eb = b.Family.Exponent(b.Theta);
        double lo = diffs.Length >= 20 ? CurveFitter.Quantile(diffs, 0.025) : double.NaN;
        double hi = diffs.Length >= 20 ? CurveFitter.Quantile(diffs, 0.975) : double.NaN;
        string verdict = double.IsNaN(lo) ? "too few bootstrap pairs" : lo > 0 || hi < 0 ? "differ" : "indistinguishable";
        return new ExponentComparison(a.Curve, b.Curve, ea, eb, ea - eb, lo, hi, diffs.Length, verdict);
    }
}
