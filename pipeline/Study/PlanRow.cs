using System.Text.Json.Serialization;

namespace Lab.Pipeline.Study;

/// <summary>One trial of a study: everything needed to run it on any machine that can read the study folder. The rows of
/// space.parquet are the search space (every shard × family size × learning rate, first seed); the rows of plan.parquet
/// are the trials the best-fit search asked for so far, round by round, numbered in that order.</summary>
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
    /// <summary>The model family (architecture) whose size ladder the model is on.</summary>
    [JsonPropertyName("family")] public string Family { get; init; } = "";
    /// <summary>Trainable parameters of the model.</summary>
    [JsonPropertyName("parameters")] public long Parameters { get; init; }
    /// <summary>Position on the family's size ladder (ascending parameters).</summary>
    [JsonPropertyName("size_index")] public int SizeIndex { get; init; }
    /// <summary>Position on the learning-rate ladder (ascending).</summary>
    [JsonPropertyName("lr_index")] public int LrIndex { get; init; }
    /// <summary>0 for the study seed; 1.. for the further seeds of a shard's best-fit configuration.</summary>
    [JsonPropertyName("replicate")] public int Replicate { get; init; }
    /// <summary>The seed of initialisation, dropout and batch order (the study seed for replicate 0).</summary>
    [JsonPropertyName("train_seed")] public long TrainSeed { get; init; }
    /// <summary>The search round of its shard that asked for it.</summary>
    [JsonPropertyName("round")] public int Round { get; init; }
    /// <summary>Stop as hopeless when the validation loss is still above this after <see cref="PruneAfterEpoch"/> epochs (NaN: never).</summary>
    [JsonPropertyName("prune_above")] public double PruneAbove { get; init; } = double.NaN;
    /// <summary>Beyond the preset's ladders (a size past an end of its family's ladder, or a learning rate past an end of
    /// the rate ladder): trained only when a walk grows a ladder to it (<see cref="Lab.Stages.Search.BestFitSearch.Grow"/>).
    /// Absent (false) in studies planned before ladders grew.</summary>
    [JsonPropertyName("reserve"), System.ComponentModel.DefaultValue(false)] public bool Reserve { get; init; }
    /// <summary>See <see cref="PruneAbove"/>.</summary>
    [JsonPropertyName("prune_after_epoch")] public int PruneAfterEpoch { get; init; }
}
