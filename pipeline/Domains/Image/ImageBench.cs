using System.Diagnostics;
using Google.Protobuf;
using Lab.Stages.Core;
using Lab.Stages.Domains.Image;
using Lab.Stages.Evaluate;
using LanguageExt;
using static TorchSharp.torch;

namespace Lab.Pipeline.Domains.Image;

/// <summary>`pipeline bench --domain image`: training images/s and TorchSharp versus ONNX Runtime evaluation images/s
/// for the default preset's models on 28×28 grey images.</summary>
public static class ImageBench
{
    /// <summary>Runs the benchmark and prints its figures.</summary>
    public static Either<Problem, int> Run(RunOptions o, Reporter report)
    {
        int threads = Devices.SetThreads(o.Threads);
        var rows = new List<string[]>();
        var rng = new Random(1);
        var set = new ImageSet(Enumerable.Range(0, 2048 * 784).Select(_ => (byte)rng.Next(256)).ToArray(),
            Enumerable.Range(0, 2048).Select(_ => rng.Next(10)).ToArray(), 1, 28, 28, 10);
        foreach (var spec in ImagePreset.Default.Models)
        {
            manual_seed(1);
            using var net = new ConvNet(spec, 1, 10, 0.3f, 0.35f);
            using var opt = new Lab.Stages.Train.ExplicitAdam(net.parameters(), 1e-3);
            var idx = Enumerable.Range(0, 64).ToArray();
            Stopwatch? sw = null; const int steps = 20;
            for (int i = 0; i < steps + 2; i++)
            {
                if (i == 2) sw = Stopwatch.StartNew();
                using var scope = NewDisposeScope();
                opt.ZeroGrad();
                var loss = nn.functional.cross_entropy(net.call(ImageBatches.Input(set, idx, CPU)), ImageBatches.Labels(set, idx, CPU));
                loss.backward(); opt.Step(); loss.item<float>();
            }
            double train = steps * 64 / sw!.Elapsed.TotalSeconds;
            var sw2 = Stopwatch.StartNew();
            ImageTraining.CrossEntropy(net, set, 256, CPU);
            double torchRate = set.Count / sw2.Elapsed.TotalSeconds;
            var bytes = ImageOnnx.Export(net, 1, 28, 28, new Dictionary<string, string> { ["domain"] = "image" }).ToByteArray();
            using var session = OrtSessions.Open(bytes, threads);
            ImageOrtEval.Evaluate(session, set.Take(Enumerable.Range(0, 256).ToArray()), 256);
            var ort = ImageOrtEval.Evaluate(session, set, 256);
            long parameters = net.parameters().Sum(t => t.numel());
            rows.Add([spec.Name, parameters.ToString("N0"), $"{train:N0}", $"{torchRate:N0}", $"{ort.ImagesPerSecond:N0}"]);
            report.Line($"{spec.Name}: train {train:N0} img/s, eval torch {torchRate:N0} img/s, ORT {ort.ImagesPerSecond:N0} img/s");
        }
        report.Table($"Image benchmark (28×28 grey, batch 64 training, 256 evaluation, {threads} threads)",
            ["model", "parameters", "train img/s", "torch eval img/s", "ORT eval img/s"], rows);
        return 0;
    }
}
