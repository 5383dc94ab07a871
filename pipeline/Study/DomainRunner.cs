using Lab.Pipeline.Domains;
using Lab.Stages.Search;
using static TorchSharp.torch;

namespace Lab.Pipeline.Study;

/// <summary>
/// The runner skeleton every domain shares, written once: preset lookup, the search settings of a preset, the default
/// data's path, and a trial's preamble (its preset, the prepared data checked against the plan's fingerprint, the
/// device, the model spec from the plan row). A domain fills in how to read its prepared data, and how to
/// run one trial, plan, name its curves, re-evaluate and benchmark. Its preset record lists its presets and search
/// settings (<see cref="IPreset"/>); its data carries its fingerprint (<see cref="IFingerprinted"/>).
/// </summary>
/// <typeparam name="TPreset">The domain's preset record.</typeparam>
/// <typeparam name="TData">The domain's prepared data.</typeparam>
/// <typeparam name="TModel">The domain's model spec (stored as JSON in each plan row).</typeparam>
/// <param name="name">The domain's name (<c>--domain</c>).</param>
/// <param name="defaultData">Where its shipped data lies, relative to the repository.</param>
/// <param name="sizeUnit">What its shard sizes count (tokens, images, …).</param>
/// <param name="presets">Its presets by name (smoke, default, full), usually the preset record's static <c>Named</c>.</param>
public abstract class DomainRunner<TPreset, TData, TModel>(string name, string defaultData, string sizeUnit, Func<string, Option<TPreset>> presets) : IDomainRunner
    where TPreset : IPreset where TData : class, IFingerprinted
{
    /// <inheritdoc />
    public string Name => name;
    /// <inheritdoc />
    public string DefaultData => defaultData;
    /// <inheritdoc />
    public string SizeUnit => sizeUnit;

    /// <summary>Reads the prepared data file, or a problem naming it.</summary>
    protected abstract Either<Problem, TData> ReadPrepared(string path);
    /// <summary>Trains, exports and evaluates one planned trial (failures inside become a row with status "failed").</summary>
    protected abstract TrialRow RunTrial(PlanRow plan, TPreset preset, TData data, TModel model, Device device, int threads,
        StudyFiles files, Reporter report, string tag);

    PreparedData<TData>? prepared;

    /// <inheritdoc />
    public SearchSettings Search(string preset) => presets(preset).Match(p => p.Search, () => new SearchSettings());

    /// <summary>The preset of a name, or a problem listing the names.</summary>
    protected Either<Problem, TPreset> Preset(string name)
        => presets(name).ToEither(new Problem($"unknown preset '{name}'", "choose smoke, default or full"));

    /// <summary>The data of a run: --data, or the shipped default data.</summary>
    protected string DataPathOf(RunOptions o) => Path.GetFullPath(o.Data ?? Path.Combine(Paths.RepoRoot(), DefaultData));

    /// <inheritdoc />
    public Either<Problem, TrialRow> Trial(PlanRow row, StudyFiles files, int threads, Reporter report, string tag)
        => from p in Preset(row.Preset)
           from data in (prepared ??= new PreparedData<TData>(Name, ReadPrepared, d => d.Fingerprint)).For(files, row)
           from device in Devices.Choose(row.Device)
           select RunTrial(row, p, data, JsonSerializer.Deserialize<TModel>(row.ModelSpec)!, device, threads, files, report, tag);

    /// <inheritdoc />
    public virtual Either<Problem, int> Prepare(RunOptions options, Reporter report)
    {
        report.Line($"{Name}: nothing to prepare; the default data is shipped in {DefaultData}");
        return 0;
    }

    /// <inheritdoc />
    public abstract IReadOnlyList<CurveSpec> Curves(IReadOnlyList<PlanRow> plan);
    /// <inheritdoc />
    public abstract Either<Problem, List<PlanRow>> Plan(RunOptions options, StudyFiles files, Reporter report);
    /// <inheritdoc />
    public abstract Either<Problem, Reeval.ReevalMeasurement> Reevaluate(Reeval.ReevalRequest request, Microsoft.ML.OnnxRuntime.InferenceSession session);
    /// <inheritdoc />
    public abstract Either<Problem, IEnumerable<BenchCase>> BenchCases(RunOptions options, int threads, Reporter report);
}
