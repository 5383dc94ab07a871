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
    [JsonPropertyName("status")] public string Status { get; init; } = "";
    [JsonPropertyName("reason")] public string Reason { get; init; } = "";
    /// <summary>How many times the trial was run in the run that recorded it: 2 when a native (torch or ONNX Runtime)
    /// exception made it start again; the reason then names the first failure. 0 in rows written before this column.</summary>
    [JsonPropertyName("attempts")] public int Attempts { get; init; }
    /// <summary>A metric column by its name (as domains name their curves' metrics).</summary>
    public double Metric(string name) => name switch
    {
        "val_cross_entropy" => ValCrossEntropy, "test_cross_entropy" => TestCrossEntropy,
        "val_top1_error" => ValTop1Error, "test_top1_error" => TestTop1Error,
        "val_top5_error" => ValTop5Error, "test_top5_error" => TestTop5Error,
        "val_perplexity" => ValPerplexity, "test_perplexity" => TestPerplexity,
        "val_bleu" => ValBleu, "test_bleu" => TestBleu,
        "val_ctc_loss" => ValCtcLoss, "test_ctc_loss" => TestCtcLoss, "val_cer" => ValCer, "test_cer" => TestCer, "val_wer" => ValWer, "test_wer" => TestWer,
        _ => throw new ArgumentException($"no metric column '{name}'")
    };

    [JsonPropertyName("finished_at")]
    [ParquetTimestamp(ParquetTimestampResolution.Microseconds, useLogicalTimestamp: true, isAdjustedToUTC: true)]
    public DateTime FinishedAt { get; init; }
}
