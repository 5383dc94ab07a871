using System.Text.Json.Serialization;

namespace Lab.Pipeline.Results;

/// <summary>A point of a learning curve: the best-fit model the search found for one shard (the smallest model within
/// the noise margin of the best error, at its best learning rate), its error averaged over its seeds, their spread and
/// count. Its curve / m / error / params / params_below / errors columns are the input format of `pipeline fit`.</summary>
public sealed record CurveRow
{
    [JsonPropertyName("curve")] public string Curve { get; init; } = "";
    [JsonPropertyName("m")] public double M { get; init; }
    /// <summary>Mean validation error over the best-fit configuration's seeds.</summary>
    [JsonPropertyName("error")] public double Error { get; init; }
    /// <summary>Parameters of the best-fit model.</summary>
    [JsonPropertyName("params")] public double Params { get; init; }
    /// <summary>Parameters of the next smaller size of the best-fit model's ladder (NaN at the ladder's floor): the best-fit
    /// size lies above it, so a curve whose best model has one size at every point still bounds beta_p.</summary>
    [JsonPropertyName("params_below")] public double ParamsBelow { get; init; } = double.NaN;
    /// <summary>Each seed's validation error, ';'-separated (the fit's bootstrap resamples them).</summary>
    [JsonPropertyName("errors")] public string Errors { get; init; } = "";
    /// <summary>Sample standard deviation of the seeds' errors (NaN for one seed).</summary>
    [JsonPropertyName("error_std")] public double ErrorStd { get; init; } = double.NaN;
    /// <summary>How many seeds.</summary>
    [JsonPropertyName("seeds")] public int Seeds { get; init; }
    /// <summary>The search bracketed the best-fit size: a smaller model measurably worse, a larger one measurably no better.</summary>
    [JsonPropertyName("bracketed")] public bool Bracketed { get; init; }
    /// <summary>What ended the walk when it is not bracketed (size-cap, size-floor, lr-edge, trial-cap; comma-separated).</summary>
    [JsonPropertyName("bound_by")] public string BoundBy { get; init; } = "";
    /// <summary>How far the walk had grown the ladders beyond the preset's when the shard concluded (sizes above or below,
    /// learning rates past an end); empty when not at all.</summary>
    [JsonPropertyName("ladders_grown"), System.ComponentModel.DefaultValue("")] public string Grown { get; init; } = "";
    /// <summary>The relative noise margin the search used on this shard.</summary>
    [JsonPropertyName("margin")] public double Margin { get; init; }
    [JsonPropertyName("family")] public string Family { get; init; } = "";
    [JsonPropertyName("domain")] public string Domain { get; init; } = "";
    [JsonPropertyName("shard_index")] public int ShardIndex { get; init; }
    [JsonPropertyName("shard_examples")] public long ShardExamples { get; init; }
    /// <summary>The best-fit configuration's first-seed trial.</summary>
    [JsonPropertyName("best_trial_id")] public string BestTrialId { get; init; } = "";
    [JsonPropertyName("model")] public string Model { get; init; } = "";
    [JsonPropertyName("learning_rate")] public double LearningRate { get; init; }
    /// <summary>Mean test error over the same seeds.</summary>
    [JsonPropertyName("test_error")] public double TestError { get; init; }
    /// <summary>Training FLOPs of one run of the best-fit configuration (mean over its seeds; 6 × parameters × units).</summary>
    [JsonPropertyName("train_flops")] public double TrainFlops { get; init; }
    /// <summary>Training seconds of one run of the best-fit configuration (mean over its seeds).</summary>
    [JsonPropertyName("train_seconds")] public double TrainSeconds { get; init; }
    /// <summary>How many of the best-fit configuration's seeds stopped at the epoch budget (still improving: the point
    /// may be better than measured; raise the preset's epoch budget when this is not 0).</summary>
    [JsonPropertyName("budget_stops")] public int BudgetStops { get; init; }
    /// <summary>Trials the search ran on this shard for this curve's families (seeds included).</summary>
    [JsonPropertyName("trials_in_shard")] public int TrialsInShard { get; init; }
}
