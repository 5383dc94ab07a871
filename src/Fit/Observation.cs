namespace Lab.Fit;

/// <summary>One point of a learning curve: training-set size m and the error measured there; optionally the errors of
/// the seeds it averages (the bootstrap resamples them, so the fit's intervals carry the measured noise).</summary>
public sealed record Observation(double M, double Error, double[]? Replicates = null);
