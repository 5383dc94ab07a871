using Lab.Pipeline.Language;
using Lab.Stages.Domains.CharLm;
using Lab.Stages.Language;

namespace Lab.Pipeline.Domains.CharLm;

/// <summary>
/// Character-level language modelling (<see cref="TextLmRunner"/>) on the same text inputs as `lm`: characters as
/// units, bits per character as the curve (cross-entropy in nats beside it), recurrent highway networks by default
/// (`--arch lstm|all`).
/// </summary>
public sealed class CharLmRunner() : TextLmRunner("charlm", "data/lm/gutenberg.txt.gz", Presets.Named, Characters.Units, BitsPerChar, "rhn")
{
    /// <summary>The character-level presets (smoke, default, full): data/presets/charlm.json.</summary>
    public static readonly PresetSet<LmPreset> Presets = new("charlm");

    /// <summary>Bits per character: the cross-entropy in nats divided by ln 2.</summary>
    public static readonly LmMetric BitsPerChar = new("val_bits_per_char", "test_bits_per_char", 1 / Math.Log(2));

    /// <inheritdoc />
    protected override IEnumerable<(LmModelSpec Spec, int Vocab)> BenchModels =>
        Presets.Default.Models.Map(m => (m, 100));

    /// <inheritdoc />
    protected override LmPreset BenchPreset => Presets.Default;
}
