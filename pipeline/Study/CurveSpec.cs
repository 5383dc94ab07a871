namespace Lab.Pipeline.Study;

/// <summary>A learning curve a domain measures: its name, the trial-row metric it takes on the validation split (which
/// also picks the best model per shard for it) and on the test split, and the best-guess error for the regions.</summary>
public sealed record CurveSpec(string Name, string ValMetric, string TestMetric, double BestGuess);
