namespace Lab.Pipeline.Study;

/// <summary>A learning curve a domain measures: its name, the trial-row metric it takes on the validation split (which
/// also picks the best model per shard for it) and on the test split, the best-guess error for the regions, and the
/// architecture its models are restricted to (null: the best of every architecture).</summary>
public sealed record CurveSpec(string Name, string ValMetric, string TestMetric, double BestGuess, string? Architecture = null);
