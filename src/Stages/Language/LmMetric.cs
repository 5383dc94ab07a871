namespace Lab.Stages.Language;

/// <summary>
/// The metric a text domain's curves use, derived from the mean cross-entropy in nats that evaluation measures: its
/// validation and test names (trials.parquet columns, or the domain's own metrics) and how many of its units one nat is.
/// </summary>
/// <param name="Val">Validation metric name.</param>
/// <param name="Test">Test metric name.</param>
/// <param name="PerNat">The metric's value of one nat (1 for nats, 1/ln 2 for bits).</param>
public sealed record LmMetric(string Val, string Test, double PerNat)
{
    /// <summary>Per-unit cross-entropy in nats (the word-level curve).</summary>
    public static readonly LmMetric CrossEntropy = new("val_cross_entropy", "test_cross_entropy", 1.0);

    /// <summary>The metric of a cross-entropy in nats.</summary>
    public double Of(double nats) => nats * PerNat;

    /// <summary>The best guess's error: uniform over the vocabulary.</summary>
    public double BestGuess(int vocabSize) => Of(Math.Log(Math.Max(1, vocabSize)));
}
