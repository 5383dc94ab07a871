using System.Text.Json.Serialization;

namespace Lab.Pipeline.Results;

/// <summary>A projection (projections.parquet): kind "size_for_error" (input: target error, value: training-set size,
/// reachable false when the target is at or below the floor) or "error_at_size" (input: m, value: error).</summary>
public sealed record ProjectionRow
{
    [JsonPropertyName("curve")] public string Curve { get; init; } = "";
    [JsonPropertyName("family")] public string Family { get; init; } = "";
    [JsonPropertyName("kind")] public string Kind { get; init; } = "";
    [JsonPropertyName("input")] public double Input { get; init; }
    [JsonPropertyName("value")] public double Value { get; init; }
    [JsonPropertyName("lower")] public double Lower { get; init; }
    [JsonPropertyName("upper")] public double Upper { get; init; }
    [JsonPropertyName("reachable")] public bool Reachable { get; init; }
}
