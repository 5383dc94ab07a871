using LanguageExt;
using Lab.Stages.Search;
using static LanguageExt.Prelude;

namespace Lab.Stages.Domains.Lm;

/// <summary>
/// Plain values that size a language-model study: data splits, the shard ladder, the model-size and learning-rate
/// ladders the best-fit search walks, the training budget and the search's settings. The default preset is sized for a
/// 2-core CPU (see the README for its measured time).
/// </summary>
public sealed record LmPreset(
    string Name, int VocabSize, int SeqLen, int BatchSize, int EvalBatch, int MaxExampleTokens,
    long ValTokens, long TestTokens, ShardLadder Shards,
    Seq<LmModelSpec> Models, Seq<double> LearningRates,
    int MaxEpochs, int Patience, long MinTokensPerEpoch, double ClipNorm, SearchSettings Search) : IPreset<LmPreset>
{
    /// <summary>Canonical string of the training hyper-parameters that are not in the model or learning rate.</summary>
    public string Hyper => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"v{VocabSize}-t{SeqLen}-b{BatchSize}-ep{MaxEpochs}-p{Patience}-min{MinTokensPerEpoch}-clip{ClipNorm}-plateau0.5");

    /// <summary>Seconds: three tiny shards, a three-size ladder, two seeds.</summary>
    public static readonly LmPreset Smoke = new("smoke", 1000, 24, 16, 64, 128, 4_000, 4_000, new ShardLadder(2_000, 8_000, 3),
        Seq(new LmModelSpec(8, 8, 1, 0.0), new LmModelSpec(16, 16, 1, 0.0), new LmModelSpec(32, 32, 1, 0.0)),
        toSeq(new[] { 2.5e-3, 5e-3, 1e-2 }), 3, 2, 8_000, 1.0, new SearchSettings(Seeds: 2, MaxTrialsPerShard: 6));

    /// <summary>The default study: shards halving from 128k tokens (or the corpus) down to 4k, LSTM widths 16 to 256
    /// (each about twice the parameters of the one before), five learning rates a factor 2 apart, three seeds. Cross-entropy
    /// sits on a high floor, so a relative margin of 1 % hides real gains: the margin is the measured seed noise, at least 0.25 %.</summary>
    public static readonly LmPreset Default = new("default", 5000, 32, 32, 128, 128, 20_000, 20_000, new ShardLadder(4_000, 128_000, 5),
        Seq(new LmModelSpec(16, 16, 1, 0.1), new LmModelSpec(32, 32, 1, 0.1), new LmModelSpec(64, 64, 1, 0.1), new LmModelSpec(128, 128, 1, 0.1),
            new LmModelSpec(256, 256, 1, 0.1)),
        toSeq(new[] { 1e-3, 2e-3, 4e-3, 8e-3, 1.6e-2 }), 20, 3, 32_000, 1.0, new SearchSettings(MarginFloor: 0.0025));

    /// <summary>Hours: shards to 4M tokens, 10k vocabulary, widths 32 to 1024.</summary>
    public static readonly LmPreset Full = new("full", 10000, 35, 32, 128, 128, 50_000, 50_000, new ShardLadder(8_000, 4_000_000, 5),
        Seq(new LmModelSpec(32, 32, 1, 0.1), new LmModelSpec(64, 64, 1, 0.1), new LmModelSpec(128, 128, 1, 0.2), new LmModelSpec(256, 256, 1, 0.2),
            new LmModelSpec(512, 512, 1, 0.3), new LmModelSpec(1024, 1024, 1, 0.3)),
        toSeq(new[] { 5e-4, 1e-3, 2e-3, 4e-3, 8e-3 }), 30, 4, 128_000, 1.0, new SearchSettings(MarginFloor: 0.0025, MaxTrialsPerShard: 14));

    /// <summary>The preset of a name, if there is one.</summary>
    public static Option<LmPreset> Named(string name) => name.ToLowerInvariant() switch
    {
        "smoke" => Some(Smoke), "default" => Some(Default), "full" => Some(Full), _ => None
    };
}
