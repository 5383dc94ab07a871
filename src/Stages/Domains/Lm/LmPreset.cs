using LanguageExt;
using static LanguageExt.Prelude;

namespace Lab.Stages.Domains.Lm;

/// <summary>
/// Plain values that size a language-model study: data splits, shard doubling, model and learning-rate grids and
/// the training budget. Sized for a 2-core CPU: the default preset finishes in under 30 minutes there.
/// </summary>
public sealed record LmPreset(
    string Name, int VocabSize, int SeqLen, int BatchSize, int EvalBatch, int MaxExampleTokens,
    long ValTokens, long TestTokens, long ShardBase, int ShardCount,
    Seq<LmModelSpec> Models, Seq<double> LearningRates,
    int MaxEpochs, int Patience, long MinTokensPerEpoch, double ClipNorm)
{
    /// <summary>Canonical string of the training hyper-parameters that are not in the model or learning rate.</summary>
    public string Hyper => $"v{VocabSize}-t{SeqLen}-b{BatchSize}-ep{MaxEpochs}-p{Patience}-min{MinTokensPerEpoch}-clip{ClipNorm}";

    /// <summary>A couple of minutes: three tiny shards, two tiny models.</summary>
    public static readonly LmPreset Smoke = new("smoke", 1000, 24, 16, 64, 128, 4_000, 4_000, 2_000, 3,
        Seq(new LmModelSpec(16, 16, 1, 0.0), new LmModelSpec(32, 32, 1, 0.0)), toSeq(new[] { 5e-3 }), 3, 1, 8_000, 1.0);

    /// <summary>The default study: 7 doubling shards (8k to 512k tokens) × 3 model sizes.</summary>
    public static readonly LmPreset Default = new("default", 5000, 32, 32, 128, 128, 20_000, 20_000, 8_000, 7,
        Seq(new LmModelSpec(32, 32, 1, 0.1), new LmModelSpec(64, 64, 1, 0.1), new LmModelSpec(128, 128, 1, 0.1)),
        toSeq(new[] { 4e-3 }), 5, 1, 48_000, 1.0);

    /// <summary>Hours: 9 shards up to 2M tokens, 4 sizes, 2 learning rates, 10k vocabulary.</summary>
    public static readonly LmPreset Full = new("full", 10000, 35, 32, 128, 128, 50_000, 50_000, 8_000, 9,
        Seq(new LmModelSpec(64, 64, 1, 0.1), new LmModelSpec(128, 128, 1, 0.2), new LmModelSpec(256, 256, 1, 0.2),
            new LmModelSpec(512, 512, 1, 0.3)),
        toSeq(new[] { 2e-3, 5e-3 }), 12, 2, 128_000, 1.0);

    /// <summary>The preset of a name, if there is one.</summary>
    public static Option<LmPreset> Named(string name) => name.ToLowerInvariant() switch
    {
        "smoke" => Some(Smoke), "default" => Some(Default), "full" => Some(Full), _ => None
    };
}
