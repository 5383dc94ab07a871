namespace Lab.Pipeline.Study;

/// <summary>Where a study keeps its files: the plan, the prepared data, one result file and one model per trial.</summary>
public sealed record StudyFiles(string Dir)
{
    /// <summary>The study this folder held before this command planned again (None: a new folder). A plan for other
    /// data, another preset or seed is refused before anything is written (<see cref="StudyIdentity.Admits"/>).</summary>
    public Option<StudyIdentity> Holds { get; init; } = None;
    /// <summary>Where --start-over moves an earlier study's files (one folder per move, named by time and fingerprint).</summary>
    public const string SupersededFolder = "superseded";
    /// <summary>space.parquet: the search space (every configuration the domain offers, first seed).</summary>
    public string Space => Path.Combine(Dir, "space.parquet");
    /// <summary>plan.parquet: the trials the search asked for so far, numbered in that order.</summary>
    public string Plan => Path.Combine(Dir, "plan.parquet");
    /// <summary>preset.json: the study's preset when it was given as a file (--preset my.json).</summary>
    public string Preset => Path.Combine(Dir, "preset.json");
    /// <summary>The prepared data of a domain (tokenised, split), written once by the plan.</summary>
    public string Prepared(string domain) => Path.Combine(Dir, "prepared", $"{domain}.bin");
    /// <summary>A trial's own result file.</summary>
    public string Trial(string id) => Path.Combine(Trials, $"{id}.parquet");
    /// <summary>The folder of the trials' result files.</summary>
    public string Trials => Path.Combine(Dir, "trials");
    /// <summary>A trial's ONNX model, relative to the study folder (as recorded in trials.parquet).</summary>
    public static string ModelRelative(string id) => Path.Combine("models", $"{id}.onnx");
    /// <summary>The study folder of a plan.parquet path.</summary>
    public static StudyFiles OfPlan(string planPath) => new(Path.GetDirectoryName(Path.GetFullPath(planPath))!);
}
