using Google.Protobuf;
using Lab.Pipeline.Reeval;
using Lab.Stages.Domains.Image;
using Microsoft.ML.OnnxRuntime;
using TorchSharp;
using static TorchSharp.torch;

namespace Lab.Pipeline.Domains.Image;

/// <summary>
/// Image classification: the plan reads the images once, holds out a class-balanced validation set and orders the rest
/// so that every shard is class-balanced; a trial trains one ResNet or plain CNN on one shard, exports it to ONNX and
/// measures top-1, top-5 and cross-entropy with ONNX Runtime. Curves: each metric for the best model of any family,
/// and for each family alone (so their exponents can be compared).
/// </summary>
public sealed class ImageRunner() : DomainRunner<ImagePreset, ImageData, ImageModelSpec>("image", "data/image", "images", ImagePreset.Named)
{
    static readonly (string Metric, string Test)[] Metrics =
        [("val_top1_error", "test_top1_error"), ("val_top5_error", "test_top5_error"), ("val_cross_entropy", "test_cross_entropy")];

    /// <inheritdoc />
    public override IReadOnlyList<CurveSpec> Curves(IReadOnlyList<PlanRow> plan)
    {
        int k = plan.Count > 0 ? plan[0].OutputClasses : 10;
        double Guess(string metric) => metric switch { "val_top1_error" => 1 - 1.0 / k, "val_top5_error" => Math.Max(0, 1 - 5.0 / k), _ => Math.Log(k) };
        var archs = plan.Select(p => JsonSerializer.Deserialize<ImageModelSpec>(p.ModelSpec)!.Arch).Distinct().Order().ToList();
        return Metrics.Where(m => k > 5 || m.Metric != "val_top5_error")
            .SelectMany(m => TrialKit.PerArchitecture("image", m.Metric, m.Test, Guess(m.Metric), archs)).ToList();
    }

    /// <inheritdoc />
    public override Either<Problem, List<PlanRow>> Plan(RunOptions o, StudyFiles files, Reporter report)
    {
        var dataPath = DataPathOf(o);
        return from p0 in Preset(o.Preset)
               from models in TrialKit.Architectures(p0.Models, m => m.Arch, o.Arch, "all")
               let p = p0 with { Models = models }
               from _ in Devices.Choose(o.Device)
               from sets in ImageFiles.Load(dataPath)
               from data in ImageData.Prepare(sets.Train, sets.Test, p, o.Seed).MapLeft(e => e with { What = $"{dataPath}: {e.What}" })
               from shards in Shards.Halving(Enumerable.Repeat(1, data.Train.Count).ToList(), p.Shards, "images", data.Train.Classes).MapLeft(e => e with { What = $"{dataPath}: {e.What}" })
               select PlanRows(o, p, data, shards, dataPath, files, report);
    }

    List<PlanRow> PlanRows(RunOptions o, ImagePreset p, ImageData data, Seq<Shard> shards, string dataPath, StudyFiles files, Reporter report)
    {
        report.Line($"image: {data.Train.Count:N0} training images, validation {data.Val.Count:N0}, test {data.Test.Count:N0}, {data.Train.Classes} classes, " +
                    $"{data.Train.Channels}×{data.Train.Height}×{data.Train.Width}, data {data.Fingerprint}");
        report.Line($"shards (images): {string.Join(", ", shards.Map(s => s.Size.ToString("N0")))}");
        ImageDataFile.Write(files.Prepared(Name), data);
        return TrialKit.Grid(Name, p.Name, o, dataPath, data.Fingerprint, shards, p.Models, m => m.Name, p.LearningRates, p.Hyper, data.Train.Classes,
            m => m.Arch, m => TrialKit.CountParameters(() => new ConvNet(m, data.Train.Channels, data.Train.Classes, data.Mean, data.Std)));
    }

    /// <inheritdoc />
    protected override Either<Problem, ImageData> ReadPrepared(string path) => ImageDataFile.Read(path);

    /// <inheritdoc />
    protected override TrialRow RunTrial(PlanRow plan, ImagePreset p, ImageData data, ImageModelSpec model, Device device, int threads, StudyFiles files, Reporter report, string tag)
    {
        var shard = TrialKit.Shard(plan);
        var settings = TrialKit.Settings(plan, p.MaxEpochs, p.Patience, p.ClipNorm);
        var row = TrialKit.TrainExportEvaluate(plan, TrialKit.Row(plan, SizeUnit, model.Arch, model.Width, model.Depth, device), files, threads, report,
            $"{tag} training {model.Name} on shard {shard.Index} ({shard.Size:N0} images)",
            status => ImageTraining.Run(data, shard, model, p, settings, device,
                (epoch, val) => status($"epoch {epoch}/{p.MaxEpochs}, validation cross-entropy {val:F4}")),
            net => [("", ImageOnnx.Export(net, data.Train.Channels, data.Train.Height, data.Train.Width, Metadata(plan, p, data, model)).ToByteArray())],
            (sessions, outcome, row) =>
            {
                var val = ImageOrtEval.Evaluate(sessions[0], data.Val, p.EvalBatch);
                var test = ImageOrtEval.Evaluate(sessions[0], data.Test, p.EvalBatch);
                return row with
                {
                    ValTop1Error = val.Top1Error, ValTop5Error = val.Top5Error, ValCrossEntropy = val.CrossEntropy,
                    TestTop1Error = test.Top1Error, TestTop5Error = test.Top5Error, TestCrossEntropy = test.CrossEntropy,
                    OrtTorchGap = val.CrossEntropy - outcome.BestValidation, OrtEvalUnitsPerSecond = val.ImagesPerSecond
                };
            });
        report.Line(TrialKit.Outcome(tag, plan, row, () =>
            $"{tag} shard {shard.Index} ({shard.Size:N0} img) {model.Name} lr {plan.LearningRate}: val top-1 {row.ValTop1Error:P2}, top-5 {row.ValTop5Error:P2}, CE {row.ValCrossEntropy:F4}; test top-1 {row.TestTop1Error:P2}; {row.Epochs} epochs, {row.TrainSeconds:F1} s, {row.TrainUnitsPerSecond:N0} img/s, ORT−torch {row.OrtTorchGap:E1}"));
        return row;
    }

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

    readonly Dictionary<string, ImageData> reevalCache = new();

    /// <inheritdoc />
    public override Either<Problem, ReevalMeasurement> Reevaluate(ReevalRequest r, InferenceSession session)
    {
        var meta = r.Metadata;
        foreach (var key in new[] { "preprocessing", "seed", "val_per_class", "data_source" })
            if (!meta.ContainsKey(key)) return new Problem($"{r.ModelPath}: metadata lacks '{key}', needed to rebuild the evaluation set");
        if (meta["preprocessing"] != ImageData.Version)
            return new Problem($"{r.ModelPath}: preprocessing {meta["preprocessing"]} is not this build's {ImageData.Version}");
        var dataPath = r.DataPath ?? (meta["data_source"] == Path.GetFileName(DefaultData) ? Path.Combine(Paths.RepoRoot(), DefaultData) : null);
        if (dataPath is null) return new Problem($"{r.ModelPath}: the model was trained on '{meta["data_source"]}', not the shipped images", "give them with --data");
        int valPerClass = int.Parse(meta["val_per_class"], CultureInfo.InvariantCulture);
        long seed = long.Parse(meta["seed"], CultureInfo.InvariantCulture);
        var key2 = $"{Path.GetFullPath(dataPath)}|{seed}|{valPerClass}";
        if (!reevalCache.TryGetValue(key2, out var data))
        {
            var preset = ImagePreset.Default with { ValPerClass = valPerClass, Shards = new ShardLadder(1, 1, 1) };
            var prepared = ImageFiles.Load(dataPath).Bind(s => ImageData.Prepare(s.Train, s.Test, preset, seed));
            if (prepared.IsLeft) return prepared.Map(_ => (ReevalMeasurement)null!).MapLeft(p => p with { What = $"{r.ModelPath}: {p.What}" });
            data = prepared.Match(d => d, _ => throw new InvalidOperationException());
            reevalCache[key2] = data;
        }
        int batch = r.Batch > 0 ? r.Batch : meta.TryGetValue("eval_batch", out var b) ? int.Parse(b, CultureInfo.InvariantCulture) : 256;
        var result = ImageOrtEval.Evaluate(session, data.Val, batch);
        return new ReevalMeasurement("val_top1_error", result.Top1Error, result.Images, batch, result.BatchSeconds, dataPath, data.Fingerprint);
    }

    /// <inheritdoc />
    public override Either<Problem, IEnumerable<BenchCase>> BenchCases(RunOptions o, int threads, Reporter report) => Right<Problem, IEnumerable<BenchCase>>(ImageBench.Cases(threads));
}
