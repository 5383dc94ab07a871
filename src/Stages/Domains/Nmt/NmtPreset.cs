using LanguageExt;
using Lab.Stages.Search;
using static LanguageExt.Prelude;

namespace Lab.Stages.Domains.Nmt;

/// <summary>Plain values that size a translation study: the shard ladder (in target subword tokens), each
/// architecture's width ladder, the learning-rate ladder, the training budget and the search's settings.</summary>
public sealed record NmtPreset(
    string Name, int Merges, int MaxLen, int ValPairs, int TestPairs, ShardLadder Shards,
    Seq<NmtModelSpec> Models, Seq<double> LearningRates, int BatchSize, int EvalBatch, int MaxEpochs, int Patience,
    long MinTokensPerEpoch, double ClipNorm, int BleuPairs, SearchSettings Search) : IPreset<NmtModelSpec>
{
    /// <summary>Canonical string of the training hyper-parameters outside the model and learning rate.</summary>
    public string Hyper => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"bpe{Merges}-len{MaxLen}-val{ValPairs}-b{BatchSize}-ep{MaxEpochs}-p{Patience}-min{MinTokensPerEpoch}-clip{ClipNorm}-plateau0.5");

    static Seq<NmtModelSpec> Ladder(string arch, int layers, double dropout, params int[] widths)
        => toSeq(widths.Select(w => new NmtModelSpec(arch, w, layers, dropout)));

    /// <summary>Seconds: three tiny shards, three widths of each architecture, two seeds.</summary>
    public static readonly NmtPreset Smoke = new(
        Name: "smoke", Merges: 500, MaxLen: 40, ValPairs: 100, TestPairs: 100,
        Shards: new ShardLadder(2_000, 8_000, 3),
        Models: Ladder("lstm", 1, 0.0, 8, 16, 32) + Ladder("transformer", 1, 0.0, 8, 16, 32),
        LearningRates: toSeq(new[] { 2.5e-3, 5e-3, 1e-2 }),
        BatchSize: 16, EvalBatch: 100, MaxEpochs: 3, Patience: 2, MinTokensPerEpoch: 6_000, ClipNorm: 1.0, BleuPairs: 100,
        Search: new SearchSettings(Seeds: 2, MaxTrialsPerShard: 6));

    /// <summary>The default study: shards halving from 64k target tokens down to 2k, widths 4 to 256 of each
    /// architecture (`--arch` picks lstm, transformer or all; lstm by default), six learning rates, three seeds. The
    /// ladders reach below and above where the measured study's best fits fell (w16 at the small shards, lr 0.012 at
    /// the largest), so the search can bracket them.</summary>
    public static readonly NmtPreset Default = new(
        Name: "default", Merges: 4000, MaxLen: 64, ValPairs: 500, TestPairs: 500,
        Shards: new ShardLadder(2_000, 64_000, 5),
        Models: Ladder("lstm", 1, 0.1, 4, 8, 16, 32, 64, 128, 256) + Ladder("transformer", 2, 0.1, 8, 16, 32, 64, 128, 256),
        LearningRates: toSeq(new[] { 7.5e-4, 1.5e-3, 3e-3, 6e-3, 1.2e-2, 2.4e-2 }),
        BatchSize: 32, EvalBatch: 100, MaxEpochs: 20, Patience: 3, MinTokensPerEpoch: 24_000, ClipNorm: 1.0, BleuPairs: 500,
        Search: new SearchSettings(MarginFloor: 0.0025));

    /// <summary>Hours: shards to 1M target tokens, deeper models to width 512.</summary>
    public static readonly NmtPreset Full = new(
        Name: "full", Merges: 8000, MaxLen: 64, ValPairs: 500, TestPairs: 500,
        Shards: new ShardLadder(8_000, 1_000_000, 5),
        Models: Ladder("lstm", 2, 0.2, 32, 64, 128, 256, 512) + Ladder("transformer", 3, 0.1, 32, 64, 128, 256, 512),
        LearningRates: toSeq(new[] { 5e-4, 1e-3, 2e-3, 4e-3, 8e-3 }),
        BatchSize: 32, EvalBatch: 100, MaxEpochs: 30, Patience: 4, MinTokensPerEpoch: 96_000, ClipNorm: 1.0, BleuPairs: 500,
        Search: new SearchSettings(MarginFloor: 0.0025, MaxTrialsPerShard: 14));

    /// <summary>The preset of a name, if there is one.</summary>
    public static Option<NmtPreset> Named(string name) => name.ToLowerInvariant() switch
    {
        "smoke" => Some(Smoke), "default" => Some(Default), "full" => Some(Full), _ => None
    };
}
