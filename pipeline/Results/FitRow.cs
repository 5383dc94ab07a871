using System.Text.Json.Serialization;

namespace Lab.Pipeline.Results;

/// <summary>One fitted parameter of one family on one curve (long format, so every family fits one schema), with its
/// 95% bootstrap interval and the family's model-selection score. A family that could not be fitted has one row with
/// an empty parameter and status "skipped" or "failed".</summary>
public sealed record FitRow
{
    [JsonPropertyName("curve")] public string Curve { get; init; } = "";
    [JsonPropertyName("family")] public string Family { get; init; } = "";
    [JsonPropertyName("chosen")] public bool Chosen { get; init; }
    [JsonPropertyName("parameter")] public string Parameter { get; init; } = "";
    [JsonPropertyName("value")] public double Value { get; init; } = double.NaN;
    [JsonPropertyName("lower")] public double Lower { get; init; } = double.NaN;
    [JsonPropertyName("upper")] public double Upper { get; init; } = double.NaN;
    [JsonPropertyName("exponent")] public double Exponent { get; init; } = double.NaN;
    [JsonPropertyName("log_rmse")] public double LogRmse { get; init; } = double.NaN;
    [JsonPropertyName("points")] public int Points { get; init; }
    [JsonPropertyName("bootstrap_fits")] public int BootstrapFits { get; init; }
    [JsonPropertyName("selection_score")] public double SelectionScore { get; init; } = double.NaN;
    [JsonPropertyName("holdout_error")] public double HoldoutError { get; init; } = double.NaN;
    [JsonPropertyName("status")] public string Status { get; init; } = "ok";
    [JsonPropertyName("reason")] public string Reason { get; init; } = "";
}
