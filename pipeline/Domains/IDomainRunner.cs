using Lab.Stages.Core;
using LanguageExt;

namespace Lab.Pipeline.Domains;

/// <summary>What `pipeline run` needs of a domain: a new domain is a new folder with one of these, registered in
/// <see cref="DomainRegistry"/>.</summary>
public interface IDomainRunner
{
    /// <summary>The name on the command line.</summary>
    string Name { get; }
    /// <summary>Where the shipped default data lives, relative to the repository root.</summary>
    string DefaultData { get; }
    /// <summary>Runs the whole study; returns the exit code or a problem with the input.</summary>
    Task<Either<Problem, int>> Run(RunOptions options, Reporter report);
    /// <summary>Rebuilds an archived model's evaluation set from its metadata and measures it with the given session.</summary>
    Either<Problem, Reeval.ReevalMeasurement> Reevaluate(Reeval.ReevalRequest request, Microsoft.ML.OnnxRuntime.InferenceSession session);
    /// <summary>Prints the benchmark figures.</summary>
    Task<Either<Problem, int>> Bench(RunOptions options, Reporter report);
}
