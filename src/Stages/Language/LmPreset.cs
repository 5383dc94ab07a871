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
}
