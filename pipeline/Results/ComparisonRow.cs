using System.Text.Json.Serialization;

namespace Lab.Pipeline.Results;

/// <summary>Whether two curves' large-m exponents differ (comparisons.parquet): difference with a paired-bootstrap 95% interval.</summary>
public sealed record ComparisonRow
{
    [JsonPropertyName("curve_a")] public string CurveA { get; init; } = "";
    [JsonPropertyName("curve_b")] public string CurveB { get; init; } = "";
    [JsonPropertyName("exponent_a")] public double ExponentA { get; init; }
    [JsonPropertyName("exponent_b")] public double ExponentB { get; init; }
    [JsonPropertyName("difference")] public double Difference { get; init; }
    [JsonPropertyName("lower")] public double Lower { get; init; }
    [JsonPropertyName("upper")] public double Upper { get; init; }
    [JsonPropertyName("pairs")] public int Pairs { get; init; }
    [JsonPropertyName("verdict")] public string Verdict { get; init; } = "";
}
