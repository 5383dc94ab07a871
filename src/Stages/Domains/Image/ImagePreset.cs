using LanguageExt;
using Lab.Stages.Search;

namespace Lab.Stages.Domains.Image;

/// <summary>
/// Plain values that size an image-classification study: the shard ladder (in images, multiples of the class count so
/// every shard is class-balanced), each family's width ladder, the learning-rate ladder, the training budget and the
/// search's settings.
/// </summary>
/// <param name="DecayPatience">Epochs without improvement before the learning rate is halved (and the best weights
/// restored); optional, 1 when absent. Below <paramref name="Patience"/>, a single spike of the validation loss (common with
/// batch norm on small shards) no longer halves the rate at once.</param>
public sealed record ImagePreset(
    string Name, int ValPerClass, ShardLadder Shards, Seq<ImageModelSpec> Models, Seq<double> LearningRates,
    int BatchSize, int EvalBatch, int MaxEpochs, int Patience, long MinImagesPerEpoch, double ClipNorm, SearchSettings Search,
    int DecayPatience = 1) : IPreset<ImageModelSpec>
{
    /// <summary>Canonical string of the training hyper-parameters outside the model and learning rate.</summary>
    public string Hyper => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"val{ValPerClass}-b{BatchSize}-ep{MaxEpochs}-p{Patience}-min{MinImagesPerEpoch}-clip{ClipNorm}-aug-none-plateau0.5{(DecayPatience == 1 ? "" : $"x{DecayPatience}")}");

    /// <inheritdoc cref="IPreset.Check"/>
    public Validation<string, Unit> Check() => PresetCheck.All(PresetCheck.Ladders(this),
        PresetCheck.AtLeast(nameof(ValPerClass), ValPerClass, 1), PresetCheck.AtLeast(nameof(BatchSize), BatchSize, 1),
        PresetCheck.AtLeast(nameof(EvalBatch), EvalBatch, 1), PresetCheck.AtLeast(nameof(MinImagesPerEpoch), MinImagesPerEpoch, 0),
        PresetCheck.Each(nameof(Models), Models, (at, m) => PresetCheck.All(PresetCheck.AtLeast($"{at}.Width", m.Width, 1),
            PresetCheck.AtLeast($"{at}.Depth", m.Depth, 1))));

    /// <summary>The shipped presets (smoke, default, full): data/presets/image.json.</summary>
    public static readonly PresetSet<ImagePreset> Shipped = new("image");
}
