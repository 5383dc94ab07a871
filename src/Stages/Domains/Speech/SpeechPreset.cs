using LanguageExt;
using static LanguageExt.Prelude;

namespace Lab.Stages.Domains.Speech;

/// <summary>
/// Plain values that size a speech study and the corpus synthesised for it. Shard sizes are in frames (10 ms of
/// audio: 360,000 frames = one hour). With a real manifest the corpus fields are unused except <see cref="ValShare"/>.
/// </summary>
public sealed record SpeechPreset(
    string Name, CorpusSpec Corpus, double ValShare, long ShardBase, int ShardCount, Seq<SpeechModelSpec> Models, Seq<double> LearningRates,
    int BatchSize, int EvalBatch, int MaxEpochs, int Patience, long MinFramesPerEpoch, double ClipNorm)
{
    /// <summary>Canonical string of the training hyper-parameters outside the model and learning rate.</summary>
    public string Hyper => $"b{BatchSize}-ep{MaxEpochs}-p{Patience}-min{MinFramesPerEpoch}-clip{ClipNorm}-{SpeechData.Version}";

    /// <summary>Seconds: a 360-utterance corpus, three shards, one tiny model of each family.</summary>
    public static readonly SpeechPreset Smoke = new("smoke", new CorpusSpec(240, 60, 60, 0.5, 3, 8, 1), 0.1, 6_000, 3,
        Seq(new SpeechModelSpec("ds2", 16, 1, 4), new SpeechModelSpec("conv", 32, 1)), toSeq(new[] { 3e-3 }), 16, 64, 2, 1, 20_000, 5.0);

    /// <summary>The default study: 7 doubling shards (about 2 to 140 minutes of audio) × 3 GRU widths of ds2.</summary>
    public static readonly SpeechPreset Default = new("default", new CorpusSpec(5_000, 300, 300, 0.5, 3, 8, 1), 0.05, 12_000, 7,
        Seq(new SpeechModelSpec("ds2", 32, 1), new SpeechModelSpec("ds2", 64, 1), new SpeechModelSpec("ds2", 128, 1),
            new SpeechModelSpec("conv", 64, 2), new SpeechModelSpec("conv", 128, 2), new SpeechModelSpec("conv", 256, 2)),
        toSeq(new[] { 3e-3 }), 16, 64, 15, 3, 400_000, 5.0);

    /// <summary>Hours: 9 shards (to about 9 hours of audio), deeper models.</summary>
    public static readonly SpeechPreset Full = new("full", new CorpusSpec(16_500, 500, 500, 0.5, 3, 8, 1), 0.03, 12_000, 9,
        Seq(new SpeechModelSpec("ds2", 64, 1), new SpeechModelSpec("ds2", 128, 2), new SpeechModelSpec("ds2", 256, 2), new SpeechModelSpec("ds2", 384, 3),
            new SpeechModelSpec("conv", 128, 2), new SpeechModelSpec("conv", 256, 3), new SpeechModelSpec("conv", 384, 4), new SpeechModelSpec("conv", 512, 4)),
        toSeq(new[] { 1e-3, 2e-3 }), 32, 64, 20, 3, 480_000, 5.0);

    /// <summary>The preset of a name, if there is one.</summary>
    public static Option<SpeechPreset> Named(string name) => name.ToLowerInvariant() switch
    {
        "smoke" => Some(Smoke), "default" => Some(Default), "full" => Some(Full), _ => None
    };
}
