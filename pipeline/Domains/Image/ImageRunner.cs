using Lab.Stages.Domains.Image;
using Microsoft.ML.OnnxRuntime;

namespace Lab.Pipeline.Domains.Image;

/// <summary>
/// Image classification: the plan reads the images once, holds out a class-balanced validation set and orders the rest
/// so that every shard is class-balanced; a trial trains one ResNet or plain CNN on one shard, exports it to ONNX and
/// measures top-1, top-5 and cross-entropy with ONNX Runtime. Curves: each metric for the best model of any family,
/// and for each family alone (so their exponents can be compared).
/// </summary>
public sealed class ImageRunner() : DomainRunner<ImagePreset, ImageData, ImageModelSpec, ConvNet>("image", "data/image", "images", ImagePreset.Shipped.Named)
{
    /// <inheritdoc/>
    protected override string DefaultArch => "resnet";
    /// <inheritdoc/>
    public override string DataHelp => "IDX files or image folders";

    /// <inheritdoc />
    public override IReadOnlyList<CurveSpec> Curves(IReadOnlyList<PlanRow> plan)
    {
        int k = plan.Count > 0 ? plan[0].OutputClasses : 10;
        return CurvesOf(plan, k > 5
            ? [("val_top1_error", "test_top1_error", 1 - 1.0 / k), ("val_top5_error", "test_top5_error", 1 - 5.0 / k), ("val_cross_entropy", "test_cross_entropy", Math.Log(k))]
            : [("val_top1_error", "test_top1_error", 1 - 1.0 / k), ("val_cross_entropy", "test_cross_entropy", Math.Log(k))]);
    }

    /// <inheritdoc />
    public override Either<Problem, List<PlanRow>> Plan(RunOptions o, StudyFiles files, Reporter report)
    {
        var dataPath = DataPathOf(o);
        return from p in RunPreset(o, (p, models) => p with { Models = models })
               from sets in ImageFiles.Load(dataPath)
               from data in ImageData.Prepare(sets.Train, sets.Test, p, o.Seed).At(dataPath)
               from shards in Shards.Halving(Enumerable.Repeat(1, data.Train.Count).ToList(), p.Shards, SizeUnit, data.Train.Classes).At(dataPath)
               from space in Space(o, p, dataPath, data, shards, files, report,
                   $"image: {data.Train.Count:N0} training images, validation {data.Val.Count:N0}, test {data.Test.Count:N0}, {data.Train.Classes} classes, " +
                   $"{data.Train.Channels}×{data.Train.Height}×{data.Train.Width}, data {data.Fingerprint}",
                   data.Train.Classes, m => ParameterCount.Of(() => new ConvNet(m, data.Train.Channels, data.Train.Classes, data.Mean, data.Std)))
               select space;
    }

    /// <inheritdoc />
    protected override void WritePrepared(string path, ImageData data) => ImageDataFile.Write(path, data);

    /// <inheritdoc />
    protected override Either<Problem, ImageData> ReadPrepared(string path) => ImageDataFile.Read(path);

    /// <inheritdoc />
    protected override (ConvNet Net, TrainOutcome Outcome) Train(TrialContext t, TrainSettings settings, Device device, Action<int, double> progress)
        => ImageTraining.Run(t.Data, t.Shard, t.Model, t.Preset, settings, device, progress);

    /// <inheritdoc />
    protected override IReadOnlyList<(string Suffix, byte[] Bytes)> Export(TrialContext t, ConvNet net)
        => [("", ImageOnnx.Export(net, t.Data.Train.Channels, t.Data.Train.Height, t.Data.Train.Width, Metadata(t.Plan, t.Preset, t.Data, t.Model)).ToByteArray())];

    /// <inheritdoc />
    protected override TrialRow Measure(TrialContext t, InferenceSession[] sessions, TrainOutcome outcome, TrialRow row)
    {
        var val = ImageOrtEval.Evaluate(sessions[0], t.Data.Val, t.Preset.EvalBatch);
        var test = ImageOrtEval.Evaluate(sessions[0], t.Data.Test, t.Preset.EvalBatch);
        return row with
        {
            ValTop1Error = val.Top1Error, ValTop5Error = val.Top5Error, ValCrossEntropy = val.CrossEntropy,
            TestTop1Error = test.Top1Error, TestTop5Error = test.Top5Error, TestCrossEntropy = test.CrossEntropy,
            OrtTorchGap = val.CrossEntropy - outcome.BestValidation, OrtEvalUnitsPerSecond = val.ImagesPerSecond
        };
    }

    /// <inheritdoc />
    protected override (int Width, int Depth) Shape(ImageModelSpec m) => (m.Width, m.Depth);

    /// <inheritdoc />
    protected override Option<ImageModelSpec> WithWidth(ImageModelSpec m, int width) => m with { Width = width };

    /// <inheritdoc />
    protected override string Summary(TrialRow row)
        => $"val top-1 {row.ValTop1Error:P2}, top-5 {row.ValTop5Error:P2}, CE {row.ValCrossEntropy:F4}; test top-1 {row.TestTop1Error:P2}";

    static Dictionary<string, string> Metadata(PlanRow plan, ImagePreset p, ImageData data, ImageModelSpec model) => TrialKit.Metadata(plan, model.Name, new()
    {
        ["architecture"] = model.Arch,
        ["shard_images"] = plan.ShardSize.ToString(CultureInfo.InvariantCulture),
        ["preprocessing"] = ImageData.Version,
        ["val_per_class"] = p.ValPerClass.ToString(CultureInfo.InvariantCulture),
        ["classes"] = data.Train.Classes.ToString(CultureInfo.InvariantCulture),
        ["input_shape"] = $"{data.Train.Channels},{data.Train.Height},{data.Train.Width}",
        ["normalisation"] = $"mean {data.Mean.ToString("R", CultureInfo.InvariantCulture)}, std {data.Std.ToString("R", CultureInfo.InvariantCulture)} (inside the graph)",
        ["eval_batch"] = p.EvalBatch.ToString(CultureInfo.InvariantCulture),
        ["augmentation"] = "none",
        ["input"] = "images: float [batch, channels, height, width], pixels / 255",
        ["output"] = "logits: float [batch, classes]"
    });

    readonly ReevalSets<ImageData> reevalSets = new();

    /// <inheritdoc />
    public override Either<Problem, ReevalMeasurement> Reevaluate(ReevalRequest r, InferenceSession session)
        => from _ in r.Require("preprocessing", "seed", "val_per_class", "data_source")
           from __ in r.SameVersion("preprocessing", ImageData.Version, "preprocessing")
           from dataPath in r.DataOrShipped(DefaultData, "images")
           let preset = ImagePreset.Shipped.Default with { ValPerClass = r.Int("val_per_class"), Shards = new ShardLadder(1, 1, 1) }
           from data in reevalSets.Get(r, $"{Path.GetFullPath(dataPath)}|{r.Long("seed")}|{preset.ValPerClass}",
               () => ImageFiles.Load(dataPath).Bind(s => ImageData.Prepare(s.Train, s.Test, preset, r.Long("seed"))))
           let batch = r.BatchOr(256)
           let result = ImageOrtEval.Evaluate(session, data.Val, batch)
           select new ReevalMeasurement("val_top1_error", result.Top1Error, result.Images, batch, result.BatchSeconds, dataPath, data.Fingerprint);

    /// <inheritdoc />
    public override Either<Problem, IEnumerable<BenchCase>> BenchCases(RunOptions o, int threads, Reporter report) => Right<Problem, IEnumerable<BenchCase>>(ImageBench.Cases(threads));
}
