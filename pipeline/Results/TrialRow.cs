using System.Text.Json.Serialization;
using Parquet.Serialization.Attributes;

namespace Lab.Pipeline.Results;

/// <summary>One trained model: what it was, how training went, and its metrics from ONNX Runtime and TorchSharp.
/// A row of trials.parquet (and of trials/&lt;id&gt;.parquet, the per-trial file that makes runs resumable). Every domain
/// writes this one schema; a metric a domain does not measure is NaN (perplexity for images, top-k for text, CER/WER outside speech).</summary>
public sealed record TrialRow
{
    [JsonPropertyName("trial_id")] public string TrialId { get; init; } = "";
    [JsonPropertyName("domain")] public string Domain { get; init; } = "";
    [JsonPropertyName("preset")] public string Preset { get; init; } = "";
    [JsonPropertyName("data_fingerprint")] public string DataFingerprint { get; init; } = "";
    [JsonPropertyName("shard_index")] public int ShardIndex { get; init; }
    [JsonPropertyName("shard_examples")] public long ShardExamples { get; init; }
    [JsonPropertyName("shard_size")] public long ShardSize { get; init; }
    [JsonPropertyName("size_unit")] public string SizeUnit { get; init; } = "";
    [JsonPropertyName("model")] public string Model { get; init; } = "";
    [JsonPropertyName("architecture")] public string Architecture { get; init; } = "";
    [JsonPropertyName("width")] public int Width { get; init; }
    [JsonPropertyName("depth")] public int Depth { get; init; }
    [JsonPropertyName("model_spec")] public string ModelSpec { get; init; } = "";
    [JsonPropertyName("parameters")] public long Parameters { get; init; }
    [JsonPropertyName("learning_rate")] public double LearningRate { get; init; }
    [JsonPropertyName("seed")] public long Seed { get; init; }
    [JsonPropertyName("epochs")] public int Epochs { get; init; }
    [JsonPropertyName("best_epoch")] public int BestEpoch { get; init; }
    [JsonPropertyName("train_seconds")] public double TrainSeconds { get; init; }
    [JsonPropertyName("train_units_per_second")] public double TrainUnitsPerSecond { get; init; }
    /// <summary>The training loop's time outside its batches: validation after each epoch and the best weights'
    /// snapshots (NaN in rows written before this column).</summary>
    [JsonPropertyName("validation_seconds"), System.ComponentModel.DefaultValue(double.NaN)] public double ValidationSeconds { get; init; } = double.NaN;
    /// <summary>Export to ONNX and writing the graphs (NaN: not recorded).</summary>
    [JsonPropertyName("export_seconds"), System.ComponentModel.DefaultValue(double.NaN)] public double ExportSeconds { get; init; } = double.NaN;
    /// <summary>ONNX Runtime sessions and the measurements of the metrics (NaN: not recorded).</summary>
    [JsonPropertyName("evaluate_seconds"), System.ComponentModel.DefaultValue(double.NaN)] public double EvaluateSeconds { get; init; } = double.NaN;
    /// <summary>The whole trial: model, training loop, export and evaluation (NaN: not recorded). What is not training
    /// is the trial's overhead: 1 − train_seconds / trial_seconds.</summary>
    [JsonPropertyName("trial_seconds"), System.ComponentModel.DefaultValue(double.NaN)] public double TrialSeconds { get; init; } = double.NaN;
    [JsonPropertyName("val_cross_entropy")] public double ValCrossEntropy { get; init; } = double.NaN;
    [JsonPropertyName("val_perplexity")] public double ValPerplexity { get; init; } = double.NaN;
    [JsonPropertyName("test_cross_entropy")] public double TestCrossEntropy { get; init; } = double.NaN;
    [JsonPropertyName("test_perplexity")] public double TestPerplexity { get; init; } = double.NaN;
    [JsonPropertyName("val_cross_entropy_torch")] public double ValCrossEntropyTorch { get; init; } = double.NaN;
    [JsonPropertyName("ort_torch_gap")] public double OrtTorchGap { get; init; } = double.NaN;
    [JsonPropertyName("val_top1_error")] public double ValTop1Error { get; init; } = double.NaN;
    [JsonPropertyName("val_top5_error")] public double ValTop5Error { get; init; } = double.NaN;
    [JsonPropertyName("test_top1_error")] public double TestTop1Error { get; init; } = double.NaN;
    [JsonPropertyName("test_top5_error")] public double TestTop5Error { get; init; } = double.NaN;
    [JsonPropertyName("val_bleu")] public double ValBleu { get; init; } = double.NaN;
    [JsonPropertyName("test_bleu")] public double TestBleu { get; init; } = double.NaN;
    [JsonPropertyName("val_ctc_loss")] public double ValCtcLoss { get; init; } = double.NaN;
    [JsonPropertyName("test_ctc_loss")] public double TestCtcLoss { get; init; } = double.NaN;
    [JsonPropertyName("val_cer")] public double ValCer { get; init; } = double.NaN;
    [JsonPropertyName("test_cer")] public double TestCer { get; init; } = double.NaN;
    [JsonPropertyName("val_wer")] public double ValWer { get; init; } = double.NaN;
    [JsonPropertyName("test_wer")] public double TestWer { get; init; } = double.NaN;
    [JsonPropertyName("ort_eval_units_per_second")] public double OrtEvalUnitsPerSecond { get; init; }
    [JsonPropertyName("onnx_path")] public string OnnxPath { get; init; } = "";
    [JsonPropertyName("onnx_sha256")] public string OnnxSha256 { get; init; } = "";
    /// <summary>The ONNX Runtime execution provider the model was measured on (cpu, cuda).</summary>
    [JsonPropertyName("ort_provider"), System.ComponentModel.DefaultValue("")] public string OrtProvider { get; init; } = "";
    /// <summary>torch and ONNX Runtime threads the trial ran with (its numbers depend on its id and this; 0: not recorded,
    /// a trial written before the column was).</summary>
    [JsonPropertyName("threads"), System.ComponentModel.DefaultValue(0)] public int Threads { get; init; }
    [JsonPropertyName("device")] public string Device { get; init; } = "";
    [JsonPropertyName("family")] public string Family { get; init; } = "";
    [JsonPropertyName("size_index")] public int SizeIndex { get; init; }
    [JsonPropertyName("lr_index")] public int LrIndex { get; init; }
    [JsonPropertyName("replicate")] public int Replicate { get; init; }
    [JsonPropertyName("train_seed")] public long TrainSeed { get; init; }
    [JsonPropertyName("round")] public int Round { get; init; }
    /// <summary>Why training stopped: early-stop, budget, diverged or pruned.</summary>
    [JsonPropertyName("stopped_by")] public string StoppedBy { get; init; } = "";
    /// <summary>Learning-rate decays on plateaus.</summary>
    [JsonPropertyName("lr_decays")] public int LrDecays { get; init; }
    /// <summary>Training units (tokens, images, frames) processed, repeats included.</summary>
    [JsonPropertyName("train_units")] public long TrainUnits { get; init; }
    /// <summary>Training compute, estimated as 6 × parameters × training units (forward and backward).</summary>
    [JsonPropertyName("train_flops")] public double TrainFlops { get; init; }
    /// <summary>TorchSharp's validation loss after each epoch, ';'-separated.</summary>
    [JsonPropertyName("val_curve")] public string ValCurve { get; init; } = "";
    /// <summary>How the trial ended, as the column spells it (<see cref="TrialStatusText"/>); read it as <see cref="Outcome"/>.</summary>
    [JsonPropertyName("status")] public string Status { get; init; } = "";
    /// <summary>How the trial ended (a value other than ok, diverged or failed reads as failed: <see cref="TrialCache"/>
    /// does not accept such a row as a result).</summary>
    [JsonIgnore] public TrialStatus Outcome => TrialStatusText.Parse(Status).IfNone(TrialStatus.Failed);
    [JsonPropertyName("reason")] public string Reason { get; init; } = "";
    /// <summary>How many times the trial was run in the run that recorded it: 2 when a native (torch or ONNX Runtime)
    /// exception made it start again; the reason then names the first failure. 0 in rows written before this column.</summary>
    [JsonPropertyName("attempts")] public int Attempts { get; init; }
    /// <summary>A domain's own metrics that have no column of their own, as a JSON object of name → value (empty when
    /// none): a new domain records its metrics without an edit here (<see cref="WithMetrics"/>).</summary>
    [JsonPropertyName("metrics")] public string Metrics { get; init; } = "";

    static readonly System.Text.Json.JsonSerializerOptions MetricJson = new() { NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };

    static readonly Dictionary<string, System.Reflection.PropertyInfo> Columns = typeof(TrialRow).GetProperties()
        .Where(p => p.PropertyType == typeof(double))
        .Select(p => (p, Name: System.Reflection.CustomAttributeExtensions.GetCustomAttribute<JsonPropertyNameAttribute>(p)?.Name))
        .Where(x => x.Name is not null).ToDictionary(x => x.Name!, x => x.p);

    /// <summary>The domain's own metrics (<see cref="Metrics"/>) as a dictionary (derived: not a column).</summary>
    [JsonIgnore]
    public IReadOnlyDictionary<string, double> OwnMetrics => Metrics.Length == 0 ? new Dictionary<string, double>()
        : System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, double>>(Metrics, MetricJson) ?? [];

    /// <summary>The row with these metrics: each goes into its column when the schema has one by that name, the others
    /// into <see cref="Metrics"/>.</summary>
    public TrialRow WithMetrics(IReadOnlyDictionary<string, double> values)
    {
        var row = this with { };
        var own = new Dictionary<string, double>(OwnMetrics);
        foreach (var (name, value) in values)
            if (Columns.TryGetValue(name, out var column)) column.SetValue(row, value);
            else own[name] = value;
        return row with { Metrics = own.Count == 0 ? "" : System.Text.Json.JsonSerializer.Serialize(own, MetricJson) };
    }

    /// <summary>Every metric of the row by name: each number column, then the domain's own metrics.</summary>
    public IEnumerable<(string Name, double Value)> MetricValues()
        => Columns.Select(kv => (kv.Key, (double)kv.Value.GetValue(this)!)).Concat(OwnMetrics.Select(kv => (kv.Key, kv.Value)));

    /// <summary>A metric by its name (as domains name their curves' metrics): its column, else the domain's own.</summary>
    public double Metric(string name)
        => Columns.TryGetValue(name, out var column) ? (double)column.GetValue(this)!
            : OwnMetrics.TryGetValue(name, out var v) ? v
            : throw new ArgumentException($"no metric '{name}' in trial {TrialId} (neither a column nor among its own metrics)");

    [JsonPropertyName("finished_at")]
    [ParquetTimestamp(ParquetTimestampResolution.Microseconds, useLogicalTimestamp: true, isAdjustedToUTC: true)]
    public DateTime FinishedAt { get; init; }
}
