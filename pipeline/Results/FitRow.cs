using System.Text.Json.Serialization;

namespace Lab.Pipeline.Results;

/// <summary>One fitted parameter of one curve (long format, so every family fits one schema): value and 95% interval.</summary>
public sealed record FitRow
{
    [JsonPropertyName("curve")] public string Curve { get; init; } = "";
    [JsonPropertyName("family")] public string Family { get; init; } = "";
    [JsonPropertyName("parameter")] public string Parameter { get; init; } = "";
    [JsonPropertyName("value")] public double Value { get; init; }
    [JsonPropertyName("lower")] public double Lower { get; init; }
    [JsonPropertyName("upper")] public double Upper { get; init; }
    [JsonPropertyName("log_rmse")] public double LogRmse { get; init; }
    [JsonPropertyName("points")] public int Points { get; init; }
    [JsonPropertyName("bootstrap_fits")] public int BootstrapFits { get; init; }
    [JsonPropertyName("status")] public string Status { get; init; } = "ok";
    [JsonPropertyName("reason")] public string Reason { get; init; } = "";
}
