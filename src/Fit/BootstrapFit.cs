namespace Lab.Fit;

/// <summary>One bootstrap refit: which resample (same numbers resample the same point positions in every curve of a
/// run, so two curves on the same sizes can be compared pairwise) and the parameters it gave.</summary>
public sealed record BootstrapFit(int Resample, double[] Theta);
