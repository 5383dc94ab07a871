namespace Lab.Fit;

/// <summary>
/// A family of learning curves eps(m; theta). Families fit in log space (least squares on log error) through the
/// shared <see cref="CurveFitter"/>; a new family is a new class, callers do not change.
/// </summary>
public interface ICurveFamily
{
    /// <summary>Short name used on the command line and in Parquet ("power", "power-irreducible", ...).</summary>
    string Name { get; }
    /// <summary>Names of the reported parameters, in order.</summary>
    IReadOnlyList<string> ParameterNames { get; }
    /// <summary>Predicted error at size m for reported parameters theta.</summary>
    double Predict(IReadOnlyList<double> theta, double m);
    /// <summary>The best reported parameters for the points (already validated), or null when no fit is possible.</summary>
    double[]? Fit(IReadOnlyList<Observation> points, double[]? start);
    /// <summary>The power-law exponent of the reducible error at large m (beta; −(c0 + c1) for the broken law).</summary>
    double Exponent(IReadOnlyList<double> theta);
    /// <summary>The error the curve tends to as m grows (gamma; 0 for the pure power law).</summary>
    double Floor(IReadOnlyList<double> theta);
    /// <summary>Training-set size at which the curve reaches the target error; null when it never does.</summary>
    double? SizeFor(IReadOnlyList<double> theta, double targetError);
}
