namespace Lab.Fit;

/// <summary>Pure power law eps = alpha·m^beta, fitted exactly by least squares on (log m, log eps).</summary>
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
        var (a, b) = LogLinear(points.Select(p => p.M).ToArray(), points.Select(p => p.Error).ToArray());
        return double.IsFinite(a) && double.IsFinite(b) ? [a, b] : null;
    }

    /// <inheritdoc />
    public double? SizeFor(IReadOnlyList<double> theta, double target)
        => target > 0 && theta[1] != 0 ? Math.Pow(target / theta[0], 1 / theta[1]) : null;

    /// <summary>(alpha, beta) of y = alpha·x^beta by ordinary least squares on logs.</summary>
    public static (double Alpha, double Beta) LogLinear(double[] x, double[] y)
    {
        var lx = x.Select(v => Math.Log(v)).ToArray(); var ly = y.Select(v => Math.Log(v)).ToArray();
        double mx = lx.Average(), my = ly.Average();
        double sxy = 0, sxx = 0;
        for (int i = 0; i < lx.Length; i++) { sxy += (lx[i] - mx) * (ly[i] - my); sxx += (lx[i] - mx) * (lx[i] - mx); }
        if (sxx == 0) return (double.NaN, double.NaN);
        double beta = sxy / sxx;
        return (Math.Exp(my - beta * mx), beta);
    }
}
