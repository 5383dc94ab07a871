using LanguageExt;
using Lab.Stages.Search;

namespace Lab.Stages.Language;

/// <summary>
/// Plain values that size a language-model study (words or characters): data splits, the shard ladder, the model-size
/// and learning-rate ladders the best-fit search walks (every family's: `--arch` picks), the training budget and the
/// search's settings. Each text domain ships its own presets (data/presets/lm.json, charlm.json).
/// </summary>
public sealed record LmPreset(
    string Name, int VocabSize, int SeqLen, int BatchSize, int EvalBatch, int MaxExampleTokens,
    long ValTokens, long TestTokens, ShardLadder Shards,
    Seq<LmModelSpec> Models, Seq<double> LearningRates,
    int MaxEpochs, int Patience, long MinTokensPerEpoch, double ClipNorm, SearchSettings Search) : IPreset<LmModelSpec>
{
    /// <summary>Canonical string of the training hyper-parameters that are not in the model or learning rate.</summary>
    public string Hyper => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"v{VocabSize}-t{SeqLen}-b{BatchSize}-ep{MaxEpochs}-p{Patience}-min{MinTokensPerEpoch}-clip{ClipNorm}-plateau0.5");

    /// <inheritdoc cref="IPreset.Check"/>
    public Validation<string, Unit> Check() => PresetCheck.All(PresetCheck.Ladders(this),
        PresetCheck.AtLeast(nameof(VocabSize), VocabSize, 2), PresetCheck.AtLeast(nameof(SeqLen), SeqLen, 1),
        PresetCheck.AtLeast(nameof(BatchSize), BatchSize, 1), PresetCheck.AtLeast(nameof(EvalBatch), EvalBatch, 1),
        PresetCheck.AtLeast(nameof(MaxExampleTokens), MaxExampleTokens, 1), PresetCheck.AtLeast(nameof(ValTokens), ValTokens, 1),
        PresetCheck.AtLeast(nameof(TestTokens), TestTokens, 1), PresetCheck.AtLeast(nameof(MinTokensPerEpoch), MinTokensPerEpoch, 0),
        PresetCheck.Each(nameof(Models), Models, (at, m) => PresetCheck.All(PresetCheck.AtLeast($"{at}.Embed", m.Embed, 1),
            PresetCheck.AtLeast($"{at}.Hidden", m.Hidden, 1), PresetCheck.AtLeast($"{at}.Layers", m.Layers, 1),
            PresetCheck.Share($"{at}.Dropout", m.Dropout))));
}
