namespace Lab.Fit;

/// <summary>Why a curve could not be fitted, naming the curve.</summary>
public sealed record FitError(string Curve, string Message)
{
    /// <inheritdoc />
    public override string ToString() => $"curve '{Curve}': {Message}";
}
