using LanguageExt;
using Lab.Stages.Search;

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

    /// <inheritdoc cref="IPreset.Check"/>
    public Validation<string, Unit> Check() => PresetCheck.All(PresetCheck.Ladders(this),
        PresetCheck.Share(nameof(ValShare), ValShare), PresetCheck.AtLeast(nameof(BatchSize), BatchSize, 1),
        PresetCheck.AtLeast(nameof(EvalBatch), EvalBatch, 1), PresetCheck.AtLeast(nameof(MinFramesPerEpoch), MinFramesPerEpoch, 0),
        PresetCheck.Each(nameof(Models), Models, (at, m) => PresetCheck.All(PresetCheck.AtLeast($"{at}.Width", m.Width, 1),
            PresetCheck.AtLeast($"{at}.Depth", m.Depth, 1), PresetCheck.AtLeast($"{at}.Channels", m.Channels, 1),
            PresetCheck.AtLeast($"{at}.TimeStride", m.TimeStride, 1))));

    /// <summary>The shipped presets (smoke, default, full): data/presets/speech.json.</summary>
    public static readonly PresetSet<SpeechPreset> Shipped = new("speech");
}
