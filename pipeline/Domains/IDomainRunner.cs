namespace Lab.Pipeline.Domains;

/// <summary>What the study commands need of a domain: a new domain is a new folder with one of these, registered in
/// <see cref="DomainRegistry"/>. Planning, running trials one by one, gathering and fitting are shared
/// (<see cref="StudyRunner"/>).</summary>
public interface IDomainRunner
{
    /// <summary>The name on the command line.</summary>
    string Name { get; }
    /// <summary>Where the shipped default data lives, relative to the repository root.</summary>
    string DefaultData { get; }
    /// <summary>What `--data` takes for this domain (the help text lists every registered domain's).</summary>
    string DataHelp { get; }
    /// <summary>The model families `--arch` picks from and the one it picks by default (for the help text).</summary>
    string ArchHelp { get; }
    /// <summary>Prepares the data once into the study folder and lists the search space: every shard × model × learning
    /// rate it offers, each model with its family and parameter count (<see cref="TrialKit.Grid"/>). The study's
    /// best-fit search decides which to train.</summary>
    Either<Problem, List<PlanRow>> Plan(RunOptions options, StudyFiles files, Reporter report);
    /// <summary>How the study searches a preset's space (seeds, noise margin, caps): a shipped preset or the study's own.</summary>
    Either<Problem, Lab.Stages.Search.SearchSettings> Search(string preset, Study.StudyFiles study);
    /// <summary>The unit of training-set size m (tokens, images).</summary>
    string SizeUnit { get; }
    /// <summary>The curves the domain measures for a planned study; the first one's validation metric is the one the
    /// best-fit search minimises.</summary>
    IReadOnlyList<CurveSpec> Curves(IReadOnlyList<PlanRow> plan);
    /// <summary>Runs one planned trial: trains, exports its model into the study folder, evaluates it. A failure inside
    /// the trial is a row with status "failed"; a problem with the study folder is a problem.</summary>
    Either<Problem, TrialRow> Trial(PlanRow row, StudyFiles files, int threads, Reporter report, string tag);
    /// <summary>Rebuilds an archived model's evaluation set from its metadata and measures it with the given session.</summary>
    Either<Problem, Reeval.ReevalMeasurement> Reevaluate(Reeval.ReevalRequest request, Microsoft.ML.OnnxRuntime.InferenceSession session);
    /// <summary>Makes the domain's default data when it is generated rather than shipped (`pipeline prepare`); the
    /// shipped-data domains have nothing to do (<see cref="DomainRunner{TPreset, TData, TModel}"/>).</summary>
    Either<Problem, int> Prepare(RunOptions options, Reporter report);
    /// <summary>The models the domain benchmarks and their measures (<see cref="BenchKit"/>); the study's
    /// <see cref="BenchRunner"/> warms up, repeats, prints and writes bench.parquet.</summary>
    Either<Problem, IEnumerable<BenchCase>> BenchCases(RunOptions options, int threads, Reporter report);
}
