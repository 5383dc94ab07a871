using LanguageExt;

namespace Lab.Fit;

/// <summary>A fitted learning curve: family, parameters with 95% bootstrap intervals, log-space RMSE.</summary>
/// <param name="Curve">Curve name.</param>
/// <param name="Family">The family that was fitted.</param>
/// <param name="Parameters">Point estimates and intervals, in the family's parameter order.</param>
/// <param name="LogRmse">Root mean square of log(predicted) − log(observed) on the fitted points.</param>
/// <param name="Points">The points it was fitted on.</param>
/// <param name="Bootstrap">The bootstrap refits, by resample number (for projection intervals and paired comparisons).</param>
public sealed record CurveFit(string Curve, ICurveFamily Family, Seq<Estimate> Parameters, double LogRmse,
    Seq<Observation> Points, Seq<BootstrapFit> Bootstrap)
{
    /// <summary>The point estimates in order.</summary>
    public double[] Theta => Parameters.Map(p => p.Value).ToArray();

    /// <summary>A parameter by name.</summary>
    public Estimate this[string name] => Parameters.Find(p => p.Name == name)
        .IfNone(() => throw new KeyNotFoundException($"{Family.Name} has no parameter {name}"));

    /// <summary>Predicted error at m.</summary>
    public double Predict(double m) => Family.Predict(Theta, m);
}
