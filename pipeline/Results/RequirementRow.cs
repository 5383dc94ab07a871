using System.Text.Json.Serialization;

namespace Lab.Pipeline.Results;

/// <summary>What reaching a target error takes (requirements.parquet), one row per curve and target: the data, the
/// best-fit model size there and the training compute, each with its 95 % bootstrap interval (NaN where a fit is
/// missing; an upper bound of +infinity when more than 2.5 % of the resamples never reach the target).</summary>
public sealed record RequirementRow
{
    [JsonPropertyName("curve")] public string Curve { get; init; } = "";
    /// <summary>"target" (--target-error), "2x data" or "4x data" (the curve's own prediction there).</summary>
    [JsonPropertyName("basis")] public string Basis { get; init; } = "";
    [JsonPropertyName("target_error")] public double TargetError { get; init; }
    /// <summary>False when the target is at or below the fitted irreducible error.</summary>
    [JsonPropertyName("reachable")] public bool Reachable { get; init; }
    [JsonPropertyName("data")] public double Data { get; init; } = double.NaN;
    [JsonPropertyName("data_lower")] public double DataLower { get; init; } = double.NaN;
    [JsonPropertyName("data_upper")] public double DataUpper { get; init; } = double.NaN;
    /// <summary>Best-fit model size s(m) at that data, in parameters.</summary>
    [JsonPropertyName("params")] public double Params { get; init; } = double.NaN;
    [JsonPropertyName("params_lower")] public double ParamsLower { get; init; } = double.NaN;
    [JsonPropertyName("params_upper")] public double ParamsUpper { get; init; } = double.NaN;
    /// <summary>Training FLOPs of one run of that model on that data.</summary>
    [JsonPropertyName("train_flops")] public double TrainFlops { get; init; } = double.NaN;
    [JsonPropertyName("train_flops_lower")] public double TrainFlopsLower { get; init; } = double.NaN;
    [JsonPropertyName("train_flops_upper")] public double TrainFlopsUpper { get; init; } = double.NaN;
    /// <summary>train_flops at the FLOP/s this study measured, in hours.</summary>
    [JsonPropertyName("train_hours")] public double TrainHours { get; init; } = double.NaN;
    [JsonPropertyName("train_hours_lower")] public double TrainHoursLower { get; init; } = double.NaN;
    [JsonPropertyName("train_hours_upper")] public double TrainHoursUpper { get; init; } = double.NaN;
}
