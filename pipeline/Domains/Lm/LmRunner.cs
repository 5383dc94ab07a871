using Lab.Pipeline.Language;
using Lab.Stages.Domains.Lm;
using Lab.Stages.Language;

namespace Lab.Pipeline.Domains.Lm;

/// <summary>
/// Word-level language modelling (<see cref="TextLmRunner"/>): words and punctuation as units, per-word cross-entropy in
/// nats as the curve, LSTM by default (`--arch rhn|all` adds recurrent highway networks).
/// </summary>
public sealed class LmRunner() : TextLmRunner("lm", "data/lm/gutenberg.txt.gz", Presets.Named, Tokenizer.Units, LmMetric.CrossEntropy, "lstm")
{
    /// <summary>The word-level presets (smoke, default, full): data/presets/lm.json.</summary>
    public static readonly PresetSet<LmPreset> Presets = new("lm");

    /// <inheritdoc />
    protected override IEnumerable<(LmModelSpec Spec, int Vocab)> BenchModels =>
        new[] { 128, 256, 512 }.Select(w => (new LmModelSpec(w, w, 1, 0), 10000))
            .Concat(Presets.Default.Models.Map(m => (m, Presets.Default.VocabSize)));

    /// <inheritdoc />
    protected override LmPreset BenchPreset => Presets.Default;
}
