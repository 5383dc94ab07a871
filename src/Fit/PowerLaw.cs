namespace Lab.Fit;

/// <summary>Pure power law eps = alpha·m^beta, fitted by weighted least squares on (log m, log eps) with the shared
/// spacing weights and Huber loss (<see cref="RobustLoss"/>; on evenly spaced points without outliers this is ordinary
/// least squares).</summary>
public sealed class PowerLaw : ICurveFamily
{
    /// <inheritdoc />
    public string Name => "power";
    /// <inheritdoc />
    public IReadOnlyList<string> ParameterNames { get; } = ["alpha", "beta"];
    /// <inheritdoc />
    public double Exponent(IReadOnlyList<double> theta) => theta[1];
    /// <inheritdoc />
    public double Floor(IReadOnlyList<double> theta) => 0;
    /// <inheritdoc />
    public double Predict(IReadOnlyList<double> theta, double m) => theta[0] * Math.Pow(m, theta[1]);

    /// <inheritdoc />
    public double[]? Fit(IReadOnlyList<Observation> points, double[]? start)
    {
        var m = points.Select(p => p.M).ToArray(); var e = points.Select(p => p.Error).ToArray();
        return RobustLoss.Fit(points, start, (w, _) =>
        {
            var (a, b) = LogLinear(m, e, w);
            return double.IsFinite(a) && double.IsFinite(b) ? [a, b] : null;
        }, (t, x) => Math.Log(t[0]) + t[1] * Math.Log(x));
    }

    /// <inheritdoc />
    public double? SizeFor(IReadOnlyList<double> theta, double target)
        => target > 0 && theta[1] != 0 ? Math.Pow(target / theta[0], 1 / theta[1]) : null;

    /// <summary>(alpha, beta) of y = alpha·x^beta by (weighted, when weights are given) least squares on logs.</summary>
    public static (double Alpha, double Beta) LogLinear(double[] x, double[] y, double[]? weights = null)
    {
        var lx = x.Select(v => Math.Log(v)).ToArray(); var ly = y.Select(v => Math.Log(v)).ToArray();
        var w = weights ?? Enumerable.Repeat(1.0, lx.Length).ToArray();
        double sw = w.Sum(), mx = lx.Select((v, i) => w[i] * v).Sum() / sw, my = ly.Select((v, i) => w[i] * v).Sum() / sw;
        double sxy = 0, sxx = 0;
        for (int i = 0; i < lx.Length; i++) { sxy += w[i] * (lx[i] - mx) * (ly[i] - my); sxx += w[i] * (lx[i] - mx) * (lx[i] - mx); }
        if (sxx == 0) return (double.NaN, double.NaN);
        double beta = sxy / sxx;
        return (Math.Exp(my - beta * mx), beta);
    }
}
