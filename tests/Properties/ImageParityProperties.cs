using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Google.Protobuf;
using Lab.Stages.Domains.Image;
using Lab.Stages.Evaluate;
using static TorchSharp.torch;

namespace Lab.Tests;

public class ImageParityProperties
{
    /// <summary>ONNX Runtime and TorchSharp agree on the logits of randomly initialised ResNets and plain CNNs in eval
    /// mode, with non-trivial batch-norm statistics.</summary>
    [Property(MaxTest = 12)]
    public Property Convnet_logits_match_torchsharp(PositiveInt seed, bool resnet, byte widthPick, bool deep)
    {
        TorchSetup.Once();
        var spec = new ImageModelSpec(resnet ? "resnet" : "cnn", 2 + widthPick % 7, deep ? 2 : 1);
        int classes = 3 + seed.Get % 9, c = 1 + seed.Get % 2, h = 8 + seed.Get % 9, w = 8 + (seed.Get / 3) % 9, b = 1 + seed.Get % 4;
        manual_seed(seed.Get);
        using var net = new ConvNet(spec, c, classes, 0.3f, 0.4f);
        using (no_grad())
        {
            foreach (var (name, t) in net.state_dict())
            {
                if (name.EndsWith("running_var")) t.uniform_(0.5, 2.0);
                else if (name.EndsWith("running_mean") || name.EndsWith(".bias")) t.uniform_(-0.5, 0.5);
                else if (name.EndsWith("bn.weight")) t.uniform_(0.5, 1.5);
            }
        }
        net.eval();
        var rng = new Random(seed.Get);
        var x = Enumerable.Range(0, b * c * h * w).Select(_ => (float)rng.NextDouble()).ToArray();
        float[] expected;
        using (no_grad()) using (var logits = net.call(tensor(x, [b, c, h, w]))) expected = logits.data<float>().ToArray();
        var bytes = ImageOnnx.Export(net, c, h, w, new Dictionary<string, string> { ["domain"] = "image" }).ToByteArray();
        using var session = OrtSessions.Open(bytes, 1);
        var actual = ImageOrtEval.Logits(session, x, b, c, h, w);
        double maxDiff = actual.Length == expected.Length ? expected.Zip(actual, (p, q) => (double)Math.Abs(p - q)).Max() : double.NaN;
        return (actual.Length == expected.Length && maxDiff <= 1e-4).Label($"{spec.Name} {c}x{h}x{w} b={b}: max diff {maxDiff}");
    }
}
