using LanguageExt;
using static LanguageExt.Prelude;

namespace Lab.Stages.Domains.Nmt;

/// <summary>Plain values that size a translation study (shard sizes in target subword tokens).</summary>
public sealed record NmtPreset(
    string Name, int Merges, int MaxLen, int ValPairs, int TestPairs, long ShardBase, int ShardCount,
    Seq<NmtModelSpec> Models, Seq<double> LearningRates, int BatchSize, int EvalBatch, int MaxEpochs, int Patience,
    long MinTokensPerEpoch, double ClipNorm, int BleuPairs)
{
    /// <summary>Canonical string of the training hyper-parameters outside the model and learning rate.</summary>
    public string Hyper => $"bpe{Merges}-len{MaxLen}-val{ValPairs}-b{BatchSize}-ep{MaxEpochs}-p{Patience}-min{MinTokensPerEpoch}-clip{ClipNorm}";

    /// <summary>A couple of minutes.</summary>
    public static readonly NmtPreset Smoke = new("smoke", 500, 40, 100, 100, 2_000, 3,
        Seq(new NmtModelSpec("lstm", 16, 1, 0.0), new NmtModelSpec("lstm", 32, 1, 0.0), new NmtModelSpec("transformer", 16, 1, 0.0), new NmtModelSpec("transformer", 32, 1, 0.0)),
        toSeq(new[] { 5e-3 }), 16, 100, 3, 1, 6_000, 1.0, 100);

    /// <summary>The default study: 7 doubling shards (8k to 512k target tokens) × 3 widths of each architecture
    /// (`--arch` picks lstm, transformer or all; lstm by default).</summary>
    public static readonly NmtPreset Default = new("default", 4000, 64, 500, 500, 8_000, 7,
        Seq(new NmtModelSpec("lstm", 32, 1, 0.1), new NmtModelSpec("lstm", 64, 1, 0.1), new NmtModelSpec("lstm", 128, 1, 0.1),
            new NmtModelSpec("transformer", 32, 2, 0.1), new NmtModelSpec("transformer", 64, 2, 0.1), new NmtModelSpec("transformer", 128, 2, 0.1)),
        toSeq(new[] { 3e-3 }), 32, 100, 5, 1, 48_000, 1.0, 500);

    /// <summary>Hours: all 31k pairs' worth of shards (8k to 1M target tokens), widths and depths of both families, two learning rates.</summary>
    public static readonly NmtPreset Full = new("full", 8000, 64, 500, 500, 8_000, 8,
        Seq(new NmtModelSpec("lstm", 64, 1, 0.1), new NmtModelSpec("lstm", 128, 2, 0.2), new NmtModelSpec("lstm", 256, 2, 0.3),
            new NmtModelSpec("transformer", 64, 2, 0.1), new NmtModelSpec("transformer", 128, 3, 0.1), new NmtModelSpec("transformer", 256, 3, 0.2)),
        toSeq(new[] { 1e-3, 3e-3 }), 32, 100, 12, 2, 96_000, 1.0, 500);

    /// <summary>The preset of a name, if there is one.</summary>
    public static Option<NmtPreset> Named(string name) => name.ToLowerInvariant() switch
    {
        "smoke" => Some(Smoke), "default" => Some(Default), "full" => Some(Full), _ => None
    };
}
