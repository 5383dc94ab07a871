using System.Text.Json.Serialization;

namespace Lab.Pipeline.Results;

/// <summary>One benchmark figure (bench.parquet; one schema for every domain): a measure of a model, warmed up once and
/// repeated, with the spread of the repeats and the machine it ran on.</summary>
public sealed record BenchRow
{
    [JsonPropertyName("domain")] public string Domain { get; init; } = "";
    [JsonPropertyName("model")] public string Model { get; init; } = "";
    [JsonPropertyName("parameters")] public long Parameters { get; init; }
    /// <summary>train_step, pipeline_loop, eval_torch, eval_ort, greedy_ort, or the domain's own.</summary>
    [JsonPropertyName("measure")] public string Measure { get; init; } = "";
    [JsonPropertyName("unit")] public string Unit { get; init; } = "";
    [JsonPropertyName("repeats")] public int Repeats { get; init; }
    [JsonPropertyName("min")] public double Min { get; init; }
    [JsonPropertyName("median")] public double Median { get; init; }
    [JsonPropertyName("max")] public double Max { get; init; }
    [JsonPropertyName("threads")] public int Threads { get; init; }
    [JsonPropertyName("cpu_model")] public string CpuModel { get; init; } = "";
    [JsonPropertyName("cpu_cores")] public int CpuCores { get; init; }
    [JsonPropertyName("gpu_name")] public string GpuName { get; init; } = "";
    [JsonPropertyName("os")] public string Os { get; init; } = "";
    [JsonPropertyName("device")] public string Device { get; init; } = "";
    [JsonPropertyName("onnxruntime_version")] public string OnnxRuntimeVersion { get; init; } = "";
    /// <summary>The ONNX Runtime execution provider the evaluation figures ran on (cpu, cuda).</summary>
    [JsonPropertyName("ort_provider")] public string OrtProvider { get; init; } = "";
    [JsonPropertyName("measured_at")] public DateTime MeasuredAt { get; init; }
}
