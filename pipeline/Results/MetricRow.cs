using System.Text.Json.Serialization;

namespace Lab.Pipeline.Results;

/// <summary>
/// One metric of one trial, as a typed row of metrics.parquet (beside trials.parquet): every metric of every domain —
/// the typed columns of trials.parquet and a domain's own metrics that sit there as JSON — so DuckDB, pandas or Spark
/// read bits per character like cross-entropy, with no JSON functions. <see cref="Of"/> makes the rows of a trial.
/// </summary>
public sealed record MetricRow
{
    [JsonPropertyName("trial_id")] public string TrialId { get; init; } = "";
    [JsonPropertyName("domain")] public string Domain { get; init; } = "";
    [JsonPropertyName("shard_index")] public int ShardIndex { get; init; }
    [JsonPropertyName("shard_size")] public long ShardSize { get; init; }
    [JsonPropertyName("size_unit")] public string SizeUnit { get; init; } = "";
    [JsonPropertyName("model")] public string Model { get; init; } = "";
    [JsonPropertyName("family")] public string Family { get; init; } = "";
    [JsonPropertyName("parameters")] public long Parameters { get; init; }
    [JsonPropertyName("learning_rate")] public double LearningRate { get; init; }
    [JsonPropertyName("replicate")] public int Replicate { get; init; }
    [JsonPropertyName("status")] public string Status { get; init; } = "";
    /// <summary>"val" or "test": the split the metric was measured on.</summary>
    [JsonPropertyName("split")] public string Split { get; init; } = "";
    /// <summary>The metric without its split: cross_entropy, bits_per_char, top1_error, cer, bleu, …</summary>
    [JsonPropertyName("metric")] public string Metric { get; init; } = "";
    [JsonPropertyName("value")] public double Value { get; init; }
    /// <summary>nats, bits, fraction, BLEU or "" (a ratio such as perplexity).</summary>
    [JsonPropertyName("unit")] public string Unit { get; init; } = "";
    /// <summary>Whether a lower value is better (false for BLEU).</summary>
    [JsonPropertyName("lower_is_better")] public bool LowerIsBetter { get; init; } = true;
    /// <summary>"onnxruntime" for what the exported model measured (the number that counts), "torch" for TorchSharp's own evaluation.</summary>
    [JsonPropertyName("engine")] public string Engine { get; init; } = "onnxruntime";

    /// <summary>The metric rows of a trial: each finite val_*/test_* column, then each of its own metrics.</summary>
    public static IEnumerable<MetricRow> Of(TrialRow t)
    {
        foreach (var (name, value) in t.MetricValues())
        {
            int cut = name.IndexOf('_');
            if (!double.IsFinite(value) || cut < 0) continue;
            string split = name[..cut], metric = name[(cut + 1)..];
            if (split is not ("val" or "test")) continue;
            bool torch = metric.EndsWith("_torch", StringComparison.Ordinal);
            if (torch) metric = metric[..^"_torch".Length];
            yield return new MetricRow
            {
                TrialId = t.TrialId, Domain = t.Domain, ShardIndex = t.ShardIndex, ShardSize = t.ShardSize, SizeUnit = t.SizeUnit,
                Model = t.Model, Family = t.Family, Parameters = t.Parameters, LearningRate = t.LearningRate, Replicate = t.Replicate,
                Status = t.Status, Split = split, Metric = metric, Value = value, Unit = UnitOf(metric), LowerIsBetter = metric != "bleu",
                Engine = torch ? "torch" : "onnxruntime"
            };
        }
    }

    /// <summary>The unit of a metric by its name.</summary>
    public static string UnitOf(string metric) => metric switch
    {
        "cross_entropy" or "ctc_loss" => "nats",
        "bits_per_char" => "bits",
        "perplexity" => "",
        "bleu" => "BLEU",
        _ when metric.EndsWith("_error", StringComparison.Ordinal) || metric is "cer" or "wer" => "fraction",
        _ when metric.Contains("bits", StringComparison.Ordinal) => "bits",
        _ when metric.Contains("entropy", StringComparison.Ordinal) || metric.EndsWith("_loss", StringComparison.Ordinal) => "nats",
        _ => "",
    };
}
