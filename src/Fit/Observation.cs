namespace Lab.Fit;

/// <summary>One point of a learning curve: training-set size m and the error measured there.</summary>
public sealed record Observation(double M, double Error);
