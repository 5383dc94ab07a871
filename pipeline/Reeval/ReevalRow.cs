using System.Text.Json.Serialization;
using Parquet.Serialization.Attributes;

namespace Lab.Pipeline.Reeval;

/// <summary>One re-evaluation of an archived model (a row appended to reevals.parquet): what was run, on what, the
/// metric against the recorded one, and how fast.</summary>
public sealed record ReevalRow
{
    [JsonPropertyName("model_path")] public string ModelPath { get; init; } = "";
    [JsonPropertyName("model_sha256")] public string ModelSha256 { get; init; } = "";
    [JsonPropertyName("trial_id")] public string TrialId { get; init; } = "";
    [JsonPropertyName("domain")] public string Domain { get; init; } = "";
    [JsonPropertyName("format_version")] public string FormatVersion { get; init; } = "";
    [JsonPropertyName("metric")] public string Metric { get; init; } = "";
    [JsonPropertyName("value")] public double Value { get; init; } = double.NaN;
    [JsonPropertyName("recorded_value")] public double RecordedValue { get; init; } = double.NaN;
    [JsonPropertyName("difference")] public double Difference { get; init; } = double.NaN;
    /// <summary>(value − recorded) / max(|value|, |recorded|): finite when either is 0 (0 when both are), NaN without a record.</summary>
    [JsonPropertyName("relative_difference")] public double RelativeDifference { get; init; } = double.NaN;
    [JsonPropertyName("examples")] public long Examples { get; init; }
    [JsonPropertyName("examples_per_second")] public double ExamplesPerSecond { get; init; }
    [JsonPropertyName("batch")] public int Batch { get; init; }
    [JsonPropertyName("latency_p50_ms")] public double LatencyP50Ms { get; init; }
    [JsonPropertyName("latency_p95_ms")] public double LatencyP95Ms { get; init; }
    [JsonPropertyName("provider")] public string Provider { get; init; } = "";
    [JsonPropertyName("onnxruntime_version")] public string OnnxRuntimeVersion { get; init; } = "";
    [JsonPropertyName("cpu_model")] public string CpuModel { get; init; } = "";
    [JsonPropertyName("cpu_cores")] public int CpuCores { get; init; }
    [JsonPropertyName("gpu_name")] public string GpuName { get; init; } = "";
    [JsonPropertyName("gpu_driver")] public string GpuDriver { get; init; } = "";
    [JsonPropertyName("os")] public string Os { get; init; } = "";
    [JsonPropertyName("data_path")] public string DataPath { get; init; } = "";
    [JsonPropertyName("data_fingerprint_recorded")] public string DataFingerprintRecorded { get; init; } = "";
    [JsonPropertyName("data_fingerprint_found")] public string DataFingerprintFound { get; init; } = "";
    [JsonPropertyName("different_data_allowed")] public bool DifferentDataAllowed { get; init; }
    [JsonPropertyName("reevaluated_at")]
    [ParquetTimestamp(ParquetTimestampResolution.Microseconds, useLogicalTimestamp: true, isAdjustedToUTC: true)]
    public DateTime ReevaluatedAt { get; init; }

    /// <summary>The relative difference of a value from its record, bounded in [−2, 2] (a BLEU or error of 0 does not
    /// make it infinite); NaN when either is not a number.</summary>
    public static double Relative(double value, double recorded)
    {
        double scale = Math.Max(Math.Abs(value), Math.Abs(recorded));
        return scale == 0 ? 0 : (value - recorded) / scale;
    }
}
