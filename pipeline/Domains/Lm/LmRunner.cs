using Lab.Pipeline.Language;
using Lab.Stages.Domains.Lm;
using Lab.Stages.Language;

namespace Lab.Pipeline.Domains.Lm;

/// <summary>
/// Word-level language modelling (<see cref="TextLmRunner"/>): words and punctuation as units, per-word cross-entropy in
/// nats as the curve, LSTM by default (`--arch rhn|all` adds recurrent highway networks).
/// </summary>
public sealed class LmRunner() : TextLmRunner("lm", "data/lm/gutenberg.txt.gz", LmPresets.Named, Tokenizer.Units, LmMetric.CrossEntropy, "lstm")
{
    /// <inheritdoc />
    protected override IEnumerable<(LmModelSpec Spec, int Vocab)> BenchModels =>
        new[] { 128, 256, 512 }.Select(w => (new LmModelSpec(w, w, 1, 0), 10000))
            .Concat(LmPresets.Default.Models.Map(m => (m, LmPresets.Default.VocabSize)));
}
