namespace Lab.Fit;

/// <summary>
/// A projection from a fitted curve with its bootstrap interval. <see cref="Reachable"/> is false when the target
/// lies at or below the irreducible error (an answer, not an exception).
/// </summary>
public sealed record Projection(string Curve, string Kind, double Input, double Value, double Lower, double Upper, bool Reachable)
{
    /// <summary>The training-set size needed to reach a target error.</summary>
    public static Projection SizeFor(CurveFit fit, double target)
    {
        var v = fit.Family.SizeFor(fit.Theta, target);
        var boot = fit.Bootstrap.Map(b => fit.Family.SizeFor(b.Theta, target)).Where(x => x.HasValue).Map(x => x!.Value).ToArray();
        return new Projection(fit.Curve, "size_for_error", target, v ?? double.PositiveInfinity,
            boot.Length >= 20 ? CurveFitter.Quantile(boot, 0.025) : double.NaN,
            boot.Length >= 20 && boot.Length >= fit.Bootstrap.Count * 0.975 ? CurveFitter.Quantile(boot, 0.975) : double.PositiveInfinity,
            v.HasValue);
    }

    /// <summary>The error expected at a training-set size.</summary>
    public static Projection ErrorAt(CurveFit fit, double m)
    {
        var boot = fit.Bootstrap.Map(b => fit.Family.Predict(b.Theta, m)).ToArray();
        return new Projection(fit.Curve, "error_at_size", m, fit.Predict(m),
            boot.Length >= 20 ? CurveFitter.Quantile(boot, 0.025) : double.NaN,
            boot.Length >= 20 ? CurveFitter.Quantile(boot, 0.975) : double.NaN, true);
    }
}
