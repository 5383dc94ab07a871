namespace Lab.Fit;

/// <summary>A fitted parameter with its bootstrap 95% interval (NaN bounds when the bootstrap had too few fits).</summary>
public sealed record Estimate(string Name, double Value, double Lower, double Upper);
