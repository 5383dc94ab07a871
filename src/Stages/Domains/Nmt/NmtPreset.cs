using LanguageExt;
using Lab.Stages.Search;

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

    /// <inheritdoc cref="IPreset.Check"/>
    public Validation<string, Unit> Check() => PresetCheck.All(PresetCheck.Ladders(this),
        PresetCheck.AtLeast(nameof(Merges), Merges, 0), PresetCheck.AtLeast(nameof(MaxLen), MaxLen, 2),
        PresetCheck.AtLeast(nameof(ValPairs), ValPairs, 1), PresetCheck.AtLeast(nameof(TestPairs), TestPairs, 1),
        PresetCheck.AtLeast(nameof(BatchSize), BatchSize, 1), PresetCheck.AtLeast(nameof(EvalBatch), EvalBatch, 1),
        PresetCheck.AtLeast(nameof(MinTokensPerEpoch), MinTokensPerEpoch, 0), PresetCheck.AtLeast(nameof(BleuPairs), BleuPairs, 0),
        PresetCheck.Each(nameof(Models), Models, (at, m) => PresetCheck.All(PresetCheck.AtLeast($"{at}.Width", m.Width, 1),
            PresetCheck.AtLeast($"{at}.Layers", m.Layers, 1), PresetCheck.Share($"{at}.Dropout", m.Dropout))));

    /// <summary>The shipped presets (smoke, default, full): data/presets/nmt.json.</summary>
    public static readonly PresetSet<NmtPreset> Shipped = new("nmt");
}
