using FsCheck;
using FsCheck.Xunit;
using Lab.Stages.Domains.Lm;
using Lab.Stages.Language;
using Lab.Stages.Evaluate;
using Google.Protobuf;
using static TorchSharp.torch;

namespace Lab.Tests;

public class OnnxParityProperties
{
    /// <summary>ONNX Runtime and TorchSharp agree on the logits of randomly initialised small LSTM LMs.</summary>
    [Property(MaxTest = 12)]
    public bool Lstm_lm_logits_match_torchsharp(PositiveInt seed, byte vocabPick, byte widthPick, bool twoLayers)
    {
        TorchSetup.Once();
        int v = 5 + vocabPick % 40, e = 2 + widthPick % 13, h = 1 + (widthPick * 7) % 17, layers = twoLayers ? 2 : 1;
        int t = 1 + seed.Get % 9, b = 1 + (seed.Get / 9) % 4;
        manual_seed(seed.Get);
        using var model = new LstmLm(new LmModelSpec(e, h, layers, 0.0), v);
        // make biases and weights non-trivial
        using (no_grad()) foreach (var p in model.parameters()) p.uniform_(-0.8, 0.8);
        model.eval();
        var rng = new Random(seed.Get);
        var x = Enumerable.Range(0, t * b).Select(_ => (long)rng.Next(v)).ToArray();
        float[] expected;
        using (no_grad()) using (var logits = model.call(tensor(x, [t, b]))) expected = logits.data<float>().ToArray();
        var bytes = model.ToOnnx(new Dictionary<string, string> { ["domain"] = "lm" }).ToByteArray();
        using var session = OrtSessions.Open(bytes, 1);
        var actual = LmOrtEval.Logits(session, x, t, b);
        if (actual.Length != expected.Length) return false;
        double maxDiff = expected.Zip(actual, (a, c) => Math.Abs(a - c)).Max();
        return maxDiff <= 1e-4;
    }
}
