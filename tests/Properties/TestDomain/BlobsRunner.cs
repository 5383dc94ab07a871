using System.Diagnostics;
using Lab.Pipeline;
using Lab.Pipeline.Reeval;
using Lab.Pipeline.Results;
using Lab.Pipeline.Study;
using Lab.Stages.Bench;
using Lab.Stages.Core;
using Lab.Stages.Evaluate;
using Lab.Stages.Search;
using Lab.Stages.Subset;
using Lab.Stages.Train;
using LanguageExt;
using Microsoft.ML.OnnxRuntime;
using RunOptions = Lab.Pipeline.RunOptions;
using static LanguageExt.Prelude;
using static TorchSharp.torch;

namespace Lab.Tests.TestDomain;

/// <summary>The recipe's presets: plain named values.</summary>
public sealed record BlobsPreset(string Name, int Train, int Val, int Test, int Dim, int Classes, ShardLadder Shards,
    Seq<BlobsModel> Models, Seq<double> LearningRates, int BatchSize, int MaxEpochs, int Patience, SearchSettings Search) : IPreset<BlobsModel>
{
    /// <summary>Gradient-norm clipping.</summary>
    public double ClipNorm => 1.0;

    /// <summary>The training hyper-parameters outside model and learning rate (part of the trial id).</summary>
    public string Hyper => $"n{Train}-{Val}-{Test}-d{Dim}-k{Classes}-b{BatchSize}-ep{MaxEpochs}-p{Patience}";

    /// <summary>Seconds: four shards, four widths.</summary>
    public static readonly BlobsPreset Smoke = new(
        Name: "smoke", Train: 1_600, Val: 400, Test: 400, Dim: 8, Classes: 4,
        Shards: new ShardLadder(200, 1_600, 3),
        Models: toSeq(new[] { 2, 4, 8, 16 }.Select(w => new BlobsModel(w))),
        LearningRates: toSeq(new[] { 1e-2, 3e-2, 1e-1 }),
        BatchSize: 32, MaxEpochs: 8, Patience: 2,
        Search: new SearchSettings(Seeds: 2, MaxTrialsPerShard: 6));

    /// <summary>The preset of a name, if there is one.</summary>
    public static Option<BlobsPreset> Named(string name) => name == "smoke" ? Some(Smoke) : None;
}

/// <summary>
/// A test domain written from docs/adding-a-domain.md: classify points drawn from Gaussian blobs. Everything it writes
/// is the domain's: data, model, training, export, evaluation, re-evaluation, benchmark cases. Planning, the search,
/// trials, resume, gather, fitting, reeval and bench loops are the study's.
/// </summary>
public sealed class BlobsRunner() : DomainRunner<BlobsPreset, BlobsData, BlobsModel, BlobsNet>("blobs", "generated", "points", BlobsPreset.Named)
{
    /// <inheritdoc/>
    protected override string DefaultArch => "mlp";
    public override string DataHelp => "nothing: the points are generated";

    /// <inheritdoc />
    protected override Either<Problem, BlobsData> ReadPrepared(string path) => BlobsData.Read(path);

    /// <inheritdoc />
    protected override void WritePrepared(string path, BlobsData data) => data.Write(path);

    /// <inheritdoc />
    public override IReadOnlyList<CurveSpec> Curves(IReadOnlyList<PlanRow> plan)
        => CurvesOf(plan, [("val_nll", "test_nll", Math.Log(plan.Count > 0 ? plan[0].OutputClasses : 2))]);

    /// <inheritdoc />
    public override Either<Problem, List<PlanRow>> Plan(RunOptions o, StudyFiles files, Reporter report)
        => from p in RunPreset(o, (p, _) => p)
           let data = BlobsData.Generate(p.Train, p.Val + p.Test, p.Dim, p.Classes, o.Seed)
           from shards in Shards.Halving(Enumerable.Repeat(1, p.Train).ToList(), p.Shards, SizeUnit)
           from space in Space(o, p, DefaultData, data, shards, files, report, $"blobs: {p.Train:N0} points, data {data.Fingerprint}", p.Classes,
               m => ParameterCount.Of(() => new BlobsNet(m, p.Dim, p.Classes)))
               select space;

    /// <inheritdoc />
    protected override (BlobsNet Net, TrainOutcome Outcome) Train(TrialContext t, TrainSettings settings, Device device, Action<int, double> progress)
        => Train(t.Data, t.Shard, t.Model, t.Preset, settings, device);

    /// <inheritdoc />
    protected override IReadOnlyList<(string Suffix, byte[] Bytes)> Export(TrialContext t, BlobsNet net)
        => [("", net.Export(TrialKit.Metadata(t.Plan, t.Model.Name, Keys(t.Preset)), t.Data.Dim))];

    /// <inheritdoc />
    protected override TrialRow Measure(TrialContext t, InferenceSession[] sessions, TrainOutcome outcome, TrialRow row)
    {
        var (val, _) = Nll(sessions[0], t.Data, 0, t.Preset.Val);
        var (test, _) = Nll(sessions[0], t.Data, t.Preset.Val, t.Preset.Test);
        return row.WithMetrics(new Dictionary<string, double> { ["val_nll"] = val, ["test_nll"] = test }) with { OrtTorchGap = val - outcome.BestValidation };
    }

    /// <inheritdoc />
    protected override (int Width, int Depth) Shape(BlobsModel m) => (m.Width, 1);

    /// <inheritdoc />
    protected override string Summary(TrialRow row) => $"val NLL {row.Metric("val_nll"):F4}";

    static Dictionary<string, string> Keys(BlobsPreset p) => new()
    {
        ["points"] = $"{p.Train},{p.Val},{p.Test}", ["dim"] = p.Dim.ToString(), ["classes"] = p.Classes.ToString(),
        ["input"] = "x: float [batch, dim]", ["output"] = "logits: float [batch, classes]"
    };

    static float[] Rows(float[] x, int[] idx, int dim) => idx.SelectMany(i => x.AsSpan(i * dim, dim).ToArray()).ToArray();

    static (BlobsNet, TrainOutcome) Train(BlobsData data, Shard shard, BlobsModel model, BlobsPreset p, TrainSettings s, Device device)
    {
        manual_seed(s.Seed);
        var net = new BlobsNet(model, data.Dim, data.Classes);
        IEnumerable<Batch> Epoch(int e)
        {
            var order = Enumerable.Range(0, shard.Examples).ToArray();
            new Random(unchecked((int)(s.Seed * 1_000_003 + e))).Shuffle(order);
            foreach (var chunk in Chunking.Chunks(order, p.BatchSize))
                yield return new Batch(d => [tensor(Rows(data.TrainX, chunk, data.Dim), [chunk.Length, data.Dim], device: d),
                    tensor(chunk.Select(i => (long)data.TrainY[i]).ToArray(), device: d)], chunk.Length);
        }
        double Validate()
        {
            using var scope = NewDisposeScope();
            var idx = Enumerable.Range(0, p.Val).ToArray();
            return nn.functional.cross_entropy(net.call(tensor(Rows(data.ValX, idx, data.Dim), [idx.Length, data.Dim])),
                tensor(data.ValY[..p.Val].Select(y => (long)y).ToArray())).item<float>();
        }
        var outcome = Trainer.Run(net, Epoch, t => nn.functional.cross_entropy(net.call(t[0]), t[1]), Validate, s, device);
        return (net, outcome);
    }

    /// <summary>Mean negative log-likelihood from the ONNX model run by ONNX Runtime, over held-out points [from, from+n).</summary>
    static (double Nll, double Seconds) Nll(InferenceSession session, BlobsData data, int from, int n)
    {
        var clock = Stopwatch.StartNew();
        var x = Rows(data.ValX, Enumerable.Range(from, n).ToArray(), data.Dim);
        using var input = OrtValue.CreateTensorValueFromMemory(x, [n, data.Dim]);
        using var run = new Microsoft.ML.OnnxRuntime.RunOptions();
        using var outputs = session.Run(run, ["x"], [input], ["logits"]);
        var logits = outputs[0].GetTensorDataAsSpan<float>();
        double sum = 0;
        for (int i = 0; i < n; i++) sum += LogSoftmax.NegLog(logits.Slice(i * data.Classes, data.Classes), data.ValY[from + i]);
        return (sum / n, clock.Elapsed.TotalSeconds);
    }

    readonly ReevalSets<BlobsData> reevalSets = new();

    /// <inheritdoc />
    public override Either<Problem, ReevalMeasurement> Reevaluate(ReevalRequest r, InferenceSession session)
        => from _ in r.Require("points", "dim", "classes", "seed")
           let points = r.Metadata["points"].Split(',').Select(int.Parse).ToArray()
           from data in reevalSets.Get(r, $"{r.Metadata["points"]}|{r.Metadata["dim"]}|{r.Metadata["classes"]}|{r.Metadata["seed"]}",
               () => Right<Problem, BlobsData>(BlobsData.Generate(points[0], points[1] + points[2], r.Int("dim"), r.Int("classes"), r.Long("seed"))))
           let measured = Nll(session, data, 0, points[1])
           select new ReevalMeasurement("val_nll", measured.Nll, points[1], points[1], [measured.Seconds], DefaultData, data.Fingerprint);

    /// <inheritdoc />
    public override Either<Problem, IEnumerable<BenchCase>> BenchCases(RunOptions o, int threads, Reporter report)
        => Right<Problem, IEnumerable<BenchCase>>(Cases(threads));

    static IEnumerable<BenchCase> Cases(int threads)
    {
        var data = BlobsData.Generate(1_024, 256, 8, 4, 1);
        foreach (var model in BlobsPreset.Smoke.Models)
        {
            manual_seed(1);
            using var net = new BlobsNet(model, data.Dim, data.Classes);
            using var opt = new ExplicitAdam(net.parameters(), 1e-2);
            var idx = Enumerable.Range(0, 64).ToArray();
            using var session = OrtSessions.Open(net.Export(new Dictionary<string, string> { ["domain"] = "blobs" }, data.Dim), threads);
            yield return new BenchCase(model.Name, net.parameters().Sum(t => t.numel()),
            [
                BenchKit.TrainStep(net, opt, _ => ([tensor(Rows(data.TrainX, idx, data.Dim), [64, data.Dim]), tensor(idx.Select(i => (long)data.TrainY[i]).ToArray())], 64),
                    t => nn.functional.cross_entropy(net.call(t[0]), t[1]), 20, "points/s"),
                BenchMeasure.Rate("eval_ort", "points/s", () => { Nll(session, data, 0, 256); return 256; })
            ]);
        }
    }
}
