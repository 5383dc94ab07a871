using LanguageExt;
using Lab.Stages.Search;
using static LanguageExt.Prelude;

namespace Lab.Stages.Domains.Speech;

/// <summary>
/// Plain values that size a speech study and the corpus synthesised for it. Shard sizes are in frames (10 ms of
/// audio: 360,000 frames = one hour). With a real manifest the corpus fields are unused except <see cref="ValShare"/>.
/// </summary>
public sealed record SpeechPreset(
    string Name, CorpusSpec Corpus, double ValShare, ShardLadder Shards, Seq<SpeechModelSpec> Models, Seq<double> LearningRates,
    int BatchSize, int EvalBatch, int MaxEpochs, int Patience, long MinFramesPerEpoch, double ClipNorm, SearchSettings Search) : IPreset<SpeechModelSpec>
{
    /// <summary>Canonical string of the training hyper-parameters outside the model and learning rate.</summary>
    public string Hyper => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"b{BatchSize}-ep{MaxEpochs}-p{Patience}-min{MinFramesPerEpoch}-clip{ClipNorm}-plateau0.5-{SpeechData.Version}");

    static Seq<SpeechModelSpec> Ds2(params int[] widths) => toSeq(widths.Select(w => new SpeechModelSpec("ds2", w, 1)));
    static Seq<SpeechModelSpec> Conv(int depth, params int[] widths) => toSeq(widths.Select(w => new SpeechModelSpec("conv", w, depth)));

    /// <summary>Seconds: a 360-utterance corpus, three shards, three sizes of each family, two seeds.</summary>
    public static readonly SpeechPreset Smoke = new(
        Name: "smoke",
        Corpus: new CorpusSpec(240, 60, 60, 0.5, 3, 8, 1),
        ValShare: 0.1,
        Shards: new ShardLadder(6_000, 24_000, 3),
        Models: toSeq(new[] { 8, 16, 32 }.Select(w => new SpeechModelSpec("ds2", w, 1, 4))) + Conv(1, 16, 32, 64),
        LearningRates: toSeq(new[] { 1.5e-3, 3e-3, 6e-3 }),
        BatchSize: 16, EvalBatch: 64, MaxEpochs: 2, Patience: 2, MinFramesPerEpoch: 20_000, ClipNorm: 5.0,
        Search: new SearchSettings(Seeds: 2, MaxTrialsPerShard: 6));

    /// <summary>The default study: shards halving from 384,000 frames (64 minutes of audio, or the corpus) down to 12,000
    /// (2 minutes), GRU widths 16 to 256 of ds2 (`--arch conv|all` for the convolution-only family), five learning
    /// rates, three seeds.</summary>
    public static readonly SpeechPreset Default = new(
        Name: "default",
        Corpus: new CorpusSpec(5_000, 300, 300, 0.5, 3, 8, 1),
        ValShare: 0.05,
        Shards: new ShardLadder(12_000, 384_000, 5),
        Models: Ds2(16, 32, 64, 128, 256) + Conv(2, 32, 48, 64, 96, 128, 192, 256),
        LearningRates: toSeq(new[] { 7.5e-4, 1.5e-3, 3e-3, 6e-3, 1.2e-2 }),
        BatchSize: 16, EvalBatch: 64, MaxEpochs: 20, Patience: 3, MinFramesPerEpoch: 200_000, ClipNorm: 5.0,
        Search: new SearchSettings());

    /// <summary>Hours: shards to about 9 hours of audio, deeper models.</summary>
    public static readonly SpeechPreset Full = new(
        Name: "full",
        Corpus: new CorpusSpec(16_500, 500, 500, 0.5, 3, 8, 1),
        ValShare: 0.03,
        Shards: new ShardLadder(12_000, 3_072_000, 5),
        Models: toSeq(new[] { 64, 128, 256, 384, 512 }.Select(w => new SpeechModelSpec("ds2", w, 2))) + Conv(3, 128, 192, 256, 384, 512),
        LearningRates: toSeq(new[] { 5e-4, 1e-3, 2e-3, 4e-3, 8e-3 }),
        BatchSize: 32, EvalBatch: 64, MaxEpochs: 30, Patience: 4, MinFramesPerEpoch: 480_000, ClipNorm: 5.0,
        Search: new SearchSettings(MaxTrialsPerShard: 14));

    /// <summary>The preset of a name, if there is one.</summary>
    public static Option<SpeechPreset> Named(string name) => name.ToLowerInvariant() switch
    {
        "smoke" => Some(Smoke), "default" => Some(Default), "full" => Some(Full), _ => None
    };
}
