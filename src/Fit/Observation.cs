using LanguageExt;

namespace Lab.Fit;

/// <summary>One point of a learning curve: training-set size m and the error measured there; optionally the errors of
/// the seeds it averages (the bootstrap resamples them, so the fit's intervals carry the measured noise). A value:
/// two observations of the same numbers are equal.</summary>
public sealed record Observation(double M, double Error, Seq<double> Replicates = default);
