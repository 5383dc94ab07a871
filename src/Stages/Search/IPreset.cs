using LanguageExt;
using Lab.Stages.Subset;

namespace Lab.Stages.Search;

/// <summary>What the study needs of a domain's preset record: how its space is searched and each trial's training budget.
/// A domain's runner names its presets (a lookup by name, usually the record's static <c>Named</c>); two domains may
/// share one preset record.</summary>
public interface IPreset
{
    /// <summary>The preset's name (smoke, default, full, or a user's own).</summary>
    string Name { get; }
    /// <summary>How the study searches this preset's space.</summary>
    SearchSettings Search { get; }
    /// <summary>Epoch budget of a trial.</summary>
    int MaxEpochs { get; }
    /// <summary>Epochs without improvement before early stopping.</summary>
    int Patience { get; }
    /// <summary>Gradient-norm clipping.</summary>
    double ClipNorm { get; }
    /// <summary>Epochs without improvement before the learning rate is halved and the best weights restored (decay on
    /// plateau); 1 unless the preset says otherwise.</summary>
    int DecayPatience => 1;
    /// <summary>Every value that cannot make a study, said together (<see cref="PresetCheck"/>); checked when a preset
    /// file is read.</summary>
    Validation<string, Unit> Check() => PresetCheck.Training(this);
}

/// <summary>A preset with its search space: the shard ladder, every family's size ladder and the learning-rate ladder,
/// and the canonical string of the training values outside model and learning rate (part of every trial id).</summary>
/// <typeparam name="TModel">The domain's model spec.</typeparam>
public interface IPreset<TModel> : IPreset where TModel : IModelSpec
{
    /// <summary>The shard ladder.</summary>
    ShardLadder Shards { get; }
    /// <summary>The models of every family, each on its size ladder.</summary>
    Seq<TModel> Models { get; }
    /// <summary>The learning-rate ladder.</summary>
    Seq<double> LearningRates { get; }
    /// <summary>Canonical string of the training values outside model and learning rate.</summary>
    string Hyper { get; }
    /// <inheritdoc cref="IPreset.Check"/>
    Validation<string, Unit> IPreset.Check() => PresetCheck.Ladders(this);
}
