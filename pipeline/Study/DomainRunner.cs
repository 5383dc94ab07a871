using Lab.Pipeline.Domains;
using Microsoft.ML.OnnxRuntime;

namespace Lab.Pipeline.Study;

/// <summary>
/// The runner skeleton every domain shares, written once: preset lookup, the search settings of a preset, the default
/// data's path, and a whole trial (its preset, the prepared data checked against the plan's fingerprint, the device,
/// the model spec from the plan row; training under a progress line, export, the files, ONNX Runtime sessions and the
/// line it reports). A domain fills in how to read its prepared data, train one model, export its graphs and measure
/// them, and how to plan, name its curves, re-evaluate and benchmark. Its preset record lists its presets and search
/// settings (<see cref="IPreset"/>); its data carries its fingerprint (<see cref="IFingerprinted"/>).
/// </summary>
/// <typeparam name="TPreset">The domain's preset record.</typeparam>
/// <typeparam name="TData">The domain's prepared data.</typeparam>
/// <typeparam name="TModel">The domain's model spec (stored as JSON in each plan row).</typeparam>
/// <typeparam name="TNet">The domain's trained model (what its training returns and its export reads).</typeparam>
/// <param name="name">The domain's name (<c>--domain</c>).</param>
/// <param name="defaultData">Where its shipped data lies, relative to the repository.</param>
/// <param name="sizeUnit">What its shard sizes count (tokens, images, …).</param>
/// <param name="presets">Its presets by name (smoke, default, full), usually the preset record's static <c>Named</c>.</param>
public abstract class DomainRunner<TPreset, TData, TModel, TNet>(string name, string defaultData, string sizeUnit, Func<string, Option<TPreset>> presets) : IDomainRunner
    where TPreset : IPreset<TModel> where TModel : IModelSpec where TData : class, IFingerprinted where TNet : nn.Module
{
    /// <inheritdoc />
    public string Name => name;
    /// <inheritdoc />
    public string DefaultData => defaultData;
    /// <inheritdoc />
    public string SizeUnit => sizeUnit;

    /// <summary>Reads the prepared data file, or a problem naming it.</summary>
    protected abstract Either<Problem, TData> ReadPrepared(string path);
    /// <summary>Trains one model on the trial's shard (the domain's training stage, built on <see cref="Trainer.Run"/>);
    /// <paramref name="progress"/> takes each epoch's number and validation loss.</summary>
    protected abstract (TNet Net, TrainOutcome Outcome) Train(TrialContext t, TrainSettings settings, Device device, Action<int, double> progress);
    /// <summary>The trained model's ONNX graphs (file suffix, bytes; the main graph has suffix ""), its metadata the common
    /// keys (<see cref="TrialKit.Metadata"/>) and the domain's own.</summary>
    protected abstract IReadOnlyList<(string Suffix, byte[] Bytes)> Export(TrialContext t, TNet net);
    /// <summary>Measures the graphs (sessions in the order of <see cref="Export"/>) with ONNX Runtime: the row's metrics
    /// and the ORT−torch gap.</summary>
    protected abstract TrialRow Measure(TrialContext t, InferenceSession[] sessions, TrainOutcome outcome, TrialRow row);
    /// <summary>A model's width and depth (trial-row columns; the width is what a size ladder steps).</summary>
    protected abstract (int Width, int Depth) Shape(TModel model);
    /// <summary>The model at another width, everything else kept: the sizes a ladder grows into beyond the preset's
    /// (<see cref="LadderReserve"/>). None (the default): this domain's ladders do not grow.</summary>
    protected virtual Option<TModel> WithWidth(TModel model, int width) => None;
    /// <summary>The metrics part of a finished trial's report line.</summary>
    protected abstract string Summary(TrialRow row);
    /// <summary>The progress line's validation loss.</summary>
    protected virtual string Progress(double validation) => $"validation cross-entropy {validation:F4}";
    /// <summary>How the report names a shard.</summary>
    protected virtual string ShardText(Shard shard) => $"{shard.Size:N0} {SizeUnit}";
    /// <summary>Intra-op threads of a graph's session by its file suffix (default: all the trial's threads).</summary>
    protected virtual int SessionThreads(string suffix, int threads) => threads;

    /// <summary>One trial as the domain sees it: the plan row, its preset, data, model spec and shard, and the threads it may use.</summary>
    protected sealed record TrialContext(PlanRow Plan, TPreset Preset, TData Data, TModel Model, Shard Shard, int Threads, Reporter Report, string Tag);

    /// <summary>Trains, exports and evaluates one planned trial (failures inside become a row with status "failed").</summary>
    TrialRow RunTrial(TrialContext t, Device device, StudyFiles files)
    {
        var (plan, shard) = (t.Plan, t.Shard);
        var (width, depth) = Shape(t.Model);
        var settings = TrialKit.Settings(plan, t.Preset);
        var row = TrialKit.TrainExportEvaluate(plan, TrialKit.Row(plan, SizeUnit, t.Model.Arch, width, depth, device), files, t.Threads, t.Report,
            $"{t.Tag} training {plan.Model} on shard {shard.Index} ({ShardText(shard)})",
            status => Train(t, settings, device, (epoch, val) => status($"epoch {epoch}/{t.Preset.MaxEpochs}, {Progress(val)}")),
            net => Export(t, net),
            (sessions, outcome, row) => Measure(t, sessions, outcome, row),
            suffix => SessionThreads(suffix, t.Threads));
        t.Report.Line(TrialKit.Outcome(t.Tag, plan, row, () =>
            $"{t.Tag} shard {shard.Index} ({ShardText(shard)}) {plan.Model} lr {plan.LearningRate}: {Summary(row)}; {row.Epochs} epochs, " +
            $"{row.TrainSeconds:F1} s, {row.TrainUnitsPerSecond:N0} {SizeUnit}/s, ORT−torch {row.OrtTorchGap:E1}"));
        return row;
    }

    PreparedData<TData>? prepared;

    /// <inheritdoc />
    public Either<Problem, SearchSettings> Search(string preset, StudyFiles study) => Preset(preset, study).Map(p => p.Search);

    /// <summary>The preset of a name: a shipped one, else the study's own (<see cref="UserPreset"/>), else a problem
    /// listing the names.</summary>
    protected Either<Problem, TPreset> Preset(string name, StudyFiles? study = null)
        => presets(name).Match(Right<Problem, TPreset>, () => UserPreset.OfStudy<TPreset>(study, name, ["smoke", "default", "full"]));

    /// <summary>The preset a run names with --preset: a shipped one, or a preset file (kept in the study folder).</summary>
    protected Either<Problem, TPreset> Preset(RunOptions o, bool keep = true)
        => UserPreset.IsFile(o.Preset) ? UserPreset.Adopt<TPreset>(o.Preset, keep ? new StudyFiles(o.Out) : null, n => presets(n).IsSome) : Preset(o.Preset);

    /// <summary>Writes the prepared data into the study folder (every trial reads it back with <see cref="ReadPrepared"/>).</summary>
    protected abstract void WritePrepared(string path, TData data);

    /// <summary>The model family `--arch default` picks.</summary>
    protected abstract string DefaultArch { get; }

    /// <inheritdoc/>
    public abstract string DataHelp { get; }

    /// <summary>The model families of the default preset (else smoke, else full), `all`, and the default (<see cref="DefaultArch"/>).</summary>
    public string ArchHelp => $"{string.Join("|", Seq("default", "smoke", "full").Map(presets).Somes().HeadOrNone().Map(p => p.Models.Map(m => m.Arch).Distinct()).IfNone(Seq<string>()))}|all (default {DefaultArch})";

    /// <summary>The preset a run asks for with only the families --arch picks ("default": <see cref="DefaultArch"/>),
    /// on a device that is there.</summary>
    protected Either<Problem, TPreset> RunPreset(RunOptions o, Func<TPreset, Seq<TModel>, TPreset> withModels)
        => from p in Preset(o)
           from models in TrialKit.Architectures(p.Models, m => m.Arch, o.Arch, DefaultArch)
           from _ in Devices.Choose(o.Device)
           select withModels(p, models);

    /// <summary>
    /// The search space of a run: refuses data, a preset or seed other than those of the study the folder holds
    /// (<see cref="StudyFiles.Holds"/>) before writing anything; reports the data (<paramref name="dataLine"/>) and its
    /// shards, writes the prepared data into the study folder, and lists every shard × model × learning rate with its family and parameter count (the
    /// study's search decides which of them to train).
    /// </summary>
    /// <param name="hyper">The trial ids' training values (default: the preset's).</param>
    protected Either<Problem, List<PlanRow>> Space(RunOptions o, TPreset p, string dataPath, TData data, Seq<Shard> shards, StudyFiles files, Reporter report,
        string dataLine, int outputClasses, Func<TModel, long> parameters, string? hyper = null)
    {
        var incoming = new StudyIdentity(Name, p.Name, o.Seed, data.Fingerprint, dataPath);
        return files.Holds.Match(held => held.Admits(incoming, files.Dir), () => unit).Map(_ =>
        {
            report.Line(dataLine);
            report.Line($"shards ({SizeUnit}): {string.Join(", ", shards.Map(ShardListing))}");
            WritePrepared(files.Prepared(Name), data);
            var grow = p.Search;
            return TrialKit.Grid(Name, p.Name, o, dataPath, data.Fingerprint, shards, p.Models, m => m.Name, p.LearningRates, hyper ?? p.Hyper,
                outputClasses, m => m.Arch, parameters,
                grow.Grid ? default : LadderReserve.Models(p.Models, m => Shape(m).Width, WithWidth, grow.GrowAbove, grow.GrowBelow),
                grow.Grid ? default : LadderReserve.Rates(p.LearningRates, grow.GrowRates));
        });
    }

    /// <summary>How the plan's report lists a shard.</summary>
    protected virtual string ShardListing(Shard shard) => shard.Size.ToString("N0");

    /// <summary>The curves of each metric (validation, test, best-guess error): the best model of any family and, when the
    /// plan has several, each family alone. The first metric's curve is what the search minimises.</summary>
    protected IReadOnlyList<CurveSpec> CurvesOf(IReadOnlyList<PlanRow> plan, IEnumerable<(string Val, string Test, double BestGuess)> metrics)
    {
        var archs = plan.Select(p => JsonSerializer.Deserialize<TModel>(p.ModelSpec)!.Arch).Distinct().Order().ToList();
        return metrics.SelectMany(m => TrialKit.PerArchitecture(Name, m.Val, m.Test, m.BestGuess, archs)).ToList();
    }

    /// <summary>The data of a run: --data, or the shipped default data.</summary>
    protected string DataPathOf(RunOptions o) => Path.GetFullPath(o.Data ?? Path.Combine(Paths.RepoRoot(), DefaultData));

    /// <inheritdoc />
    public Either<Problem, TrialRow> Trial(PlanRow row, StudyFiles files, int threads, Reporter report, string tag)
        => from p in Preset(row.Preset, files)
           from data in (prepared ??= new PreparedData<TData>(Name, ReadPrepared, d => d.Fingerprint)).For(files, row)
           from device in Devices.Choose(row.Device)
           select RunTrial(new TrialContext(row, p, data, JsonSerializer.Deserialize<TModel>(row.ModelSpec)!, TrialKit.Shard(row), threads, report, tag), device, files);

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
