using LanguageExt;
using Lab.Stages.Search;

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

    /// <summary>The shipped presets (smoke, default, full): data/presets/image.json.</summary>
    public static readonly PresetSet<ImagePreset> Shipped = new("image");
}
