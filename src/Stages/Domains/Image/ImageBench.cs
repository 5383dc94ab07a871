using Google.Protobuf;
using Lab.Stages.Evaluate;

namespace Lab.Stages.Domains.Image;

/// <summary>`pipeline bench --domain image`: per default-preset model on 28×28 grey images, the bare training step, the
/// pipeline's training loop, and TorchSharp versus ONNX Runtime evaluation.</summary>
public static class ImageBench
{
    /// <summary>The cases, one model at a time.</summary>
    public static IEnumerable<BenchCase> Cases(int threads)
    {
        var rng = new Random(1);
        ImageSet Set(int n) => new(Enumerable.Range(0, n * 784).Select(_ => (byte)rng.Next(256)).ToArray(), Enumerable.Range(0, n).Select(_ => rng.Next(10)).ToArray(), 1, 28, 28, 10);
        var set = Set(2048);
        var data = new ImageData(Set(500), Set(10), set, 0.3f, 0.35f, "bench");
        var batch = Enumerable.Range(0, 64).ToArray();
        foreach (var spec in ImagePreset.Shipped.Default.Models)
        {
            manual_seed(1);
            using var net = new ConvNet(spec, 1, 10, 0.3f, 0.35f);
            using var opt = new ExplicitAdam(net.parameters(), 1e-3);
            using var session = OrtSessions.Open(ImageOnnx.Export(net, 1, 28, 28, new Dictionary<string, string> { ["domain"] = "image" }).ToByteArray(), threads);
            yield return new BenchCase(spec.Name, net.parameters().Sum(p => p.numel()),
            [
                BenchKit.TrainStep(net, opt, _ => ([ImageBatches.Input(set, batch, CPU), ImageBatches.Labels(set, batch, CPU)], batch.Length),
                    t => nn.functional.cross_entropy(net.call(t[0]), t[1]), 20, "images/s"),
                BenchKit.PipelineLoop("images/s", () => Loop(data, spec)),
                BenchMeasure.Rate("eval_torch", "images/s", () => { ImageTraining.CrossEntropy(net, set, 256, CPU); return set.Count; }),
                BenchMeasure.Rate("eval_ort", "images/s", () => { ImageOrtEval.Evaluate(session, set, 256); return set.Count; })
            ]);
        }
    }

    static TrainOutcome Loop(ImageData data, ImageModelSpec spec)
    {
        var preset = ImagePreset.Shipped.Default with { MinImagesPerEpoch = 0 };
        var (model, outcome) = ImageTraining.Run(data, new Lab.Stages.Subset.Shard(0, data.Train.Count, data.Train.Count, 0), spec, preset, BenchKit.OneEpoch, CPU);
        model.Dispose();
        return outcome;
    }
}
