using System.Text.Json.Serialization;

namespace Lab.Pipeline.Results;

/// <summary>An input point with the chosen fit's prediction and 95% band, its split and region (predictions.parquet).</summary>
public sealed record PredictionRow
{
    [JsonPropertyName("curve")] public string Curve { get; init; } = "";
    [JsonPropertyName("m")] public double M { get; init; }
    [JsonPropertyName("observed")] public double Observed { get; init; }
    [JsonPropertyName("predicted")] public double Predicted { get; init; }
    [JsonPropertyName("lower")] public double Lower { get; init; }
    [JsonPropertyName("upper")] public double Upper { get; init; }
    [JsonPropertyName("split")] public string Split { get; init; } = "";
    [JsonPropertyName("family")] public string Family { get; init; } = "";
    [JsonPropertyName("region")] public string Region { get; init; } = "";
}
