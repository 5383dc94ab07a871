using System.Text.Json.Serialization;

namespace Lab.Pipeline.Study;

/// <summary>One trial of a planned study (a row of plan.parquet): everything needed to run it on any machine that
/// can read the study folder.</summary>
public sealed record PlanRow
{
    [JsonPropertyName("index")] public int Index { get; init; }
    [JsonPropertyName("trial_id")] public string TrialId { get; init; } = "";
    [JsonPropertyName("domain")] public string Domain { get; init; } = "";
    [JsonPropertyName("preset")] public string Preset { get; init; } = "";
    [JsonPropertyName("seed")] public long Seed { get; init; }
    [JsonPropertyName("data_path")] public string DataPath { get; init; } = "";
    [JsonPropertyName("data_fingerprint")] public string DataFingerprint { get; init; } = "";
    [JsonPropertyName("shard_index")] public int ShardIndex { get; init; }
    [JsonPropertyName("shard_examples")] public long ShardExamples { get; init; }
    [JsonPropertyName("shard_size")] public long ShardSize { get; init; }
    [JsonPropertyName("model")] public string Model { get; init; } = "";
    [JsonPropertyName("model_spec")] public string ModelSpec { get; init; } = "";
    [JsonPropertyName("learning_rate")] public double LearningRate { get; init; }
    [JsonPropertyName("hyper")] public string Hyper { get; init; } = "";
    [JsonPropertyName("device")] public string Device { get; init; } = "";
    [JsonPropertyName("output_classes")] public int OutputClasses { get; init; }
}
