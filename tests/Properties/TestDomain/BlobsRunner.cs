using System.Diagnostics;
using Lab.Pipeline;
using Lab.Pipeline.Reeval;
using Lab.Pipeline.Results;
using Lab.Pipeline.Study;
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
    Seq<BlobsModel> Models, Seq<double> LearningRates, int BatchSize, int MaxEpochs, int Patience, SearchSettings Search) : IPreset
{
    /// <summary>The training hyper-parameters outside model and learning rate (part of the trial id).</summary>
    public string Hyper => $"n{Train}-{Val}-{Test}-d{Dim}-k{Classes}-b{BatchSize}-ep{MaxEpochs}-p{Patience}";

    /// <summary>Seconds: four shards, four widths.</summary>
    public static readonly BlobsPreset Smoke = new("smoke", 1_600, 400, 400, 8, 4, new ShardLadder(200, 1_600, 3),
        toSeq(new[] { 2, 4, 8, 16 }.Select(w => new BlobsModel(w))), toSeq(new[] { 1e-2, 3e-2, 1e-1 }), 32, 8, 2,
        new SearchSettings(Seeds: 2, MaxTrialsPerShard: 6));

    /// <summary>The preset of a name, if there is one.</summary>
    public static Option<BlobsPreset> Named(string name) => name == "smoke" ? Some(Smoke) : None;
}

/// <summary>
/// A test domain written from docs/adding-a-domain.md: classify points drawn from Gaussian blobs. Everything it writes
/// is the domain's: data, model, training, export, evaluation, re-evaluation, benchmark cases. Planning, the search,
/// trials, resume, gather, fitting, reeval and bench loops are the study's.
/// </summary>
public sealed class BlobsRunner() : DomainRunner<BlobsPreset, BlobsData, BlobsModel>("blobs", "generated", "points", BlobsPreset.Named)
{
    /// <inheritdoc />
    protected override Either<Problem, BlobsData> ReadPrepared(string path) => BlobsData.Read(path);

    /// <inheritdoc />
    public override IReadOnlyList<CurveSpec> Curves(IReadOnlyList<PlanRow> plan)
        => [new CurveSpec("blobs:val_nll", "val_nll", "test_nll", Math.Log(plan.Count > 0 ? plan[0].OutputClasses : 2))];

    /// <inheritdoc />
    public override Either<Problem, List<PlanRow>> Plan(RunOptions o, StudyFiles files, Reporter report)
        => from p in Preset(o.Preset)
           let data = BlobsData.Generate(p.Train, p.Val + p.Test, p.Dim, p.Classes, o.Seed)
           from shards in Shards.Halving(Enumerable.Repeat(1, p.Train).ToList(), p.Shards, SizeUnit)
           select Space(o, p, data, shards, files);

    List<PlanRow> Space(RunOptions o, BlobsPreset p, BlobsData data, Seq<Shard> shards, StudyFiles files)
    {
        data.Write(files.Prepared(Name));
        return TrialKit.Grid(Name, p.Name, o, DefaultData, data.Fingerprint, shards, p.Models, m => m.Name, p.LearningRates, p.Hyper, p.Classes,
            _ => "mlp", m => TrialKit.CountParameters(() => new BlobsNet(m, p.Dim, p.Classes)));
    }

    /// <inheritdoc />
    protected override TrialRow RunTrial(PlanRow plan, BlobsPreset p, BlobsData data, BlobsModel model, Device device, int threads,
        StudyFiles files, Reporter report, string tag)
    {
        var shard = TrialKit.Shard(plan);
        var settings = TrialKit.Settings(plan, p.MaxEpochs, p.Patience, 1.0);
        return TrialKit.TrainExportEvaluate(plan, TrialKit.Row(plan, SizeUnit, "mlp", model.Width, 1, device), files, threads, report,
            $"{tag} training {model.Name} on {shard.Size} points",
            _ => Train(data, shard, model, p, settings, device),
            net => [("", net.Export(TrialKit.Metadata(plan, model.Name, Keys(p)), data.Dim))],
            (sessions, outcome, row) =>
            {
                var (val, _) = Nll(sessions[0], data, 0, p.Val);
                var (test, _) = Nll(sessions[0], data, p.Val, p.Test);
                return row.WithMetrics(new Dictionary<string, double> { ["val_nll"] = val, ["test_nll"] = test }) with { OrtTorchGap = val - outcome.BestValidation };
            });
    }

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

    /// <inheritdoc />
    public override Either<Problem, ReevalMeasurement> Reevaluate(ReevalRequest r, InferenceSession session)
    {
        var points = r.Metadata["points"].Split(',').Select(int.Parse).ToArray();
        var data = BlobsData.Generate(points[0], points[1] + points[2], int.Parse(r.Metadata["dim"]), int.Parse(r.Metadata["classes"]), long.Parse(r.Metadata["seed"]));
        var (nll, seconds) = Nll(session, data, 0, points[1]);
        return new ReevalMeasurement("val_nll", nll, points[1], points[1], [seconds], DefaultData, data.Fingerprint);
    }

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
