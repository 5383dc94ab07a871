using LanguageExt;
using Lab.Stages.Search;
using static LanguageExt.Prelude;

namespace Lab.Stages.Domains.Image;

/// <summary>
/// Plain values that size an image-classification study: the shard ladder (in images, multiples of the class count so
/// every shard is class-balanced), each family's width ladder, the learning-rate ladder, the training budget and the
/// search's settings.
/// </summary>
public sealed record ImagePreset(
    string Name, int ValPerClass, ShardLadder Shards, Seq<ImageModelSpec> Models, Seq<double> LearningRates,
    int BatchSize, int EvalBatch, int MaxEpochs, int Patience, long MinImagesPerEpoch, double ClipNorm, SearchSettings Search) : IPreset<ImageModelSpec>
{
    /// <summary>Canonical string of the training hyper-parameters outside the model and learning rate.</summary>
    public string Hyper => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"val{ValPerClass}-b{BatchSize}-ep{MaxEpochs}-p{Patience}-min{MinImagesPerEpoch}-clip{ClipNorm}-aug-none-plateau0.5");

    /// <summary>Widths about √2 apart (about twice the parameters each step) for both families.</summary>
    static Seq<ImageModelSpec> Ladder(int depth, params int[] widths)
        => toSeq(widths.Select(w => new ImageModelSpec("resnet", w, depth)).Concat(widths.Select(w => new ImageModelSpec("cnn", w, depth))));

    /// <summary>Under a minute: three tiny shards, a three-width ladder of each family, two seeds.</summary>
    public static readonly ImagePreset Smoke = new(
        Name: "smoke", ValPerClass: 50,
        Shards: new ShardLadder(60, 240, 3),
        Models: Ladder(1, 2, 4, 6),
        LearningRates: toSeq(new[] { 1.5e-3, 3e-3, 6e-3 }),
        BatchSize: 32, EvalBatch: 256, MaxEpochs: 3, Patience: 2, MinImagesPerEpoch: 256, ClipNorm: 5.0,
        Search: new SearchSettings(Seeds: 2, MaxTrialsPerShard: 6));

    /// <summary>The default study: shards halving from 7,680 images (or the data) down to 120, widths 3 to 48 of each
    /// family, six learning rates a factor 2 apart (small shards want large steps), three seeds; the walk starts at width
    /// 6. Measured: with widths from 4 the resnet's best fit was the smallest width at 2 of 7 shards (size floor), and
    /// with rates to 2.4e-2 the cnn's best rate was the largest at 4 of 7 (learning-rate edge).</summary>
    public static readonly ImagePreset Default = new(
        Name: "default", ValPerClass: 500,
        Shards: new ShardLadder(120, 7_680, 5),
        Models: Ladder(1, 3, 4, 6, 8, 12, 16, 24, 32, 48),
        LearningRates: toSeq(new[] { 1.5e-3, 3e-3, 6e-3, 1.2e-2, 2.4e-2, 4.8e-2 }),
        BatchSize: 64, EvalBatch: 500, MaxEpochs: 30, Patience: 3, MinImagesPerEpoch: 1_280, ClipNorm: 5.0,
        Search: new SearchSettings(StartSize: 2));

    /// <summary>Hours: shards to 30,720 images, two blocks per stage, widths 8 to 96.</summary>
    public static readonly ImagePreset Full = new(
        Name: "full", ValPerClass: 500,
        Shards: new ShardLadder(120, 30_720, 5),
        Models: Ladder(2, 8, 12, 16, 24, 32, 48, 64, 96),
        LearningRates: toSeq(new[] { 7.5e-4, 1.5e-3, 3e-3, 6e-3, 1.2e-2 }),
        BatchSize: 64, EvalBatch: 500, MaxEpochs: 40, Patience: 4, MinImagesPerEpoch: 7_680, ClipNorm: 5.0,
        Search: new SearchSettings(MaxTrialsPerShard: 14));

    /// <summary>The preset of a name, if there is one.</summary>
    public static Option<ImagePreset> Named(string name) => name.ToLowerInvariant() switch
    {
        "smoke" => Some(Smoke), "default" => Some(Default), "full" => Some(Full), _ => None
    };
}
