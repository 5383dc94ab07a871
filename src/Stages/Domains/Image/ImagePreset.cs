using LanguageExt;
using static LanguageExt.Prelude;

namespace Lab.Stages.Domains.Image;

/// <summary>
/// Plain values that size an image-classification study. Shard sizes are in images and multiples of the class count,
/// so every shard is exactly class-balanced. The default preset finishes within 45 minutes on 2 cores.
/// </summary>
public sealed record ImagePreset(
    string Name, int ValPerClass, long ShardBase, int ShardCount, Seq<ImageModelSpec> Models, Seq<double> LearningRates,
    int BatchSize, int EvalBatch, int MaxEpochs, int Patience, long MinImagesPerEpoch, double ClipNorm)
{
    /// <summary>Canonical string of the training hyper-parameters outside the model and learning rate.</summary>
    public string Hyper => $"val{ValPerClass}-b{BatchSize}-ep{MaxEpochs}-p{Patience}-min{MinImagesPerEpoch}-clip{ClipNorm}-aug-none";

    /// <summary>Under a minute: three tiny shards, one tiny model of each family.</summary>
    public static readonly ImagePreset Smoke = new("smoke", 50, 60, 3,
        Seq(new ImageModelSpec("resnet", 4, 1), new ImageModelSpec("cnn", 4, 1)), toSeq(new[] { 3e-3 }), 32, 256, 3, 1, 256, 5.0);

    /// <summary>The default study: 8 doubling shards (120 → 15,360 images) × 3 widths of each family.</summary>
    public static readonly ImagePreset Default = new("default", 500, 120, 8,
        Seq(new ImageModelSpec("resnet", 8, 1), new ImageModelSpec("resnet", 16, 1), new ImageModelSpec("resnet", 32, 1),
            new ImageModelSpec("cnn", 8, 1), new ImageModelSpec("cnn", 16, 1), new ImageModelSpec("cnn", 32, 1)),
        toSeq(new[] { 3e-3 }), 64, 500, 8, 2, 3840, 5.0);

    /// <summary>Hours: 9 shards to 30,720 images, deeper and wider models, two learning rates.</summary>
    public static readonly ImagePreset Full = new("full", 500, 120, 9,
        Seq(new ImageModelSpec("resnet", 8, 1), new ImageModelSpec("resnet", 16, 2), new ImageModelSpec("resnet", 32, 2), new ImageModelSpec("resnet", 64, 2),
            new ImageModelSpec("cnn", 8, 1), new ImageModelSpec("cnn", 16, 2), new ImageModelSpec("cnn", 32, 2), new ImageModelSpec("cnn", 64, 2)),
        toSeq(new[] { 1e-3, 3e-3 }), 64, 500, 15, 3, 7680, 5.0);

    /// <summary>The preset of a name, if there is one.</summary>
    public static Option<ImagePreset> Named(string name) => name.ToLowerInvariant() switch
    {
        "smoke" => Some(Smoke), "default" => Some(Default), "full" => Some(Full), _ => None
    };
}
