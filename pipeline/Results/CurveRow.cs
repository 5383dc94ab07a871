using System.Text.Json.Serialization;

namespace Lab.Pipeline.Results;

/// <summary>The best model of one shard (lowest validation error among finished trials): a point of the learning
/// curve. Its curve / m / error / params columns are the input format of `pipeline fit`.</summary>
public sealed record CurveRow
{
    [JsonPropertyName("curve")] public string Curve { get; init; } = "";
    [JsonPropertyName("m")] public double M { get; init; }
    [JsonPropertyName("error")] public double Error { get; init; }
    [JsonPropertyName("params")] public double Params { get; init; }
    [JsonPropertyName("domain")] public string Domain { get; init; } = "";
    [JsonPropertyName("shard_index")] public int ShardIndex { get; init; }
    [JsonPropertyName("shard_examples")] public long ShardExamples { get; init; }
    [JsonPropertyName("best_trial_id")] public string BestTrialId { get; init; } = "";
    [JsonPropertyName("model")] public string Model { get; init; } = "";
    [JsonPropertyName("learning_rate")] public double LearningRate { get; init; }
    [JsonPropertyName("test_error")] public double TestError { get; init; }
    [JsonPropertyName("trials_in_shard")] public int TrialsInShard { get; init; }
}
