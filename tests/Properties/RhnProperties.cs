using FsCheck;
using FsCheck.Xunit;
using Google.Protobuf;
using Lab.Stages.Evaluate;
using Lab.Stages.Language;
using static TorchSharp.torch;

namespace Lab.Tests;

/// <summary>The recurrent highway network: its forward pass against a direct step-by-step reference, its ONNX graph (a
/// Scan over time) against TorchSharp, and the independence of each position from later tokens and other rows.</summary>
public class RhnProperties
{
    static RhnLm Random(int seed, int e, int h, int depth, int v)
    {
        TorchSetup.Once();
        manual_seed(seed);
        var model = new RhnLm(new LmModelSpec(e, h, depth, 0.0, "rhn"), v);
        using (no_grad()) foreach (var p in model.parameters()) p.uniform_(-0.8, 0.8);
        model.eval();
        return model;
    }

    static float[] Torch(LanguageModel model, long[] x, int t, int b)
    {
        using var _ = no_grad();
        using var logits = model.call(tensor(x, [t, b]));
        return logits.data<float>().ToArray();
    }

    static long[] Tokens(int seed, int t, int b, int v)
    {
        var rng = new System.Random(seed);
        return Enumerable.Range(0, t * b).Select(_ => (long)rng.Next(v)).ToArray();
    }

    /// <summary>The recurrence written out in doubles from the weights: z = R s + b (+ W x in the first layer),
    /// s ← s + σ(z_g)·(tanh(z_h) − s), logits = head(s) at every step.</summary>
    static double[] Reference(RhnLm m, long[] x, int t, int b)
    {
        var p = m.named_parameters().ToDictionary(kv => kv.name, kv => kv.parameter.data<float>().ToArray());
        int e = m.Spec.Embed, h = m.Spec.Hidden, v = m.VocabSize;
        var logits = new double[t * b * v];
        for (int j = 0; j < b; j++)
        {
            var s = new double[h];
            for (int i = 0; i < t; i++)
            {
                long token = x[i * b + j];
                for (int l = 0; l < m.Spec.Layers; l++)
                {
                    var w = p[$"layers.{l}.weight"]; var bias = p[$"layers.{l}.bias"];
                    var z = new double[2 * h];
                    for (int r = 0; r < 2 * h; r++)
                    {
                        double acc = bias[r];
                        for (int c = 0; c < h; c++) acc += w[r * h + c] * s[c];
                        if (l == 0) for (int c = 0; c < e; c++) acc += p["input.weight"][r * e + c] * p["embed.weight"][token * e + c];
                        z[r] = acc;
                    }
                    for (int c = 0; c < h; c++)
                    {
                        double gate = 1 / (1 + Math.Exp(-z[h + c]));
                        s[c] += gate * (Math.Tanh(z[c]) - s[c]);
                    }
                }
                for (int k = 0; k < v; k++)
                {
                    double acc = p["head.bias"][k];
                    for (int c = 0; c < h; c++) acc += p["head.weight"][k * h + c] * s[c];
                    logits[(i * b + j) * v + k] = acc;
                }
            }
        }
        return logits;
    }

    [Property(MaxTest = 10)]
    public bool Forward_matches_a_step_by_step_reference(PositiveInt seed, byte pick)
    {
        int v = 3 + pick % 17, e = 1 + pick % 7, h = 1 + (pick * 5) % 9, depth = 1 + pick % 3, t = 1 + seed.Get % 7, b = 1 + (seed.Get / 7) % 3;
        using var model = Random(seed.Get, e, h, depth, v);
        var x = Tokens(seed.Get, t, b, v);
        var expected = Reference(model, x, t, b);
        var actual = Torch(model, x, t, b);
        return actual.Length == expected.Length && expected.Zip(actual, (a, c) => Math.Abs(a - c)).Max() <= 1e-4;
    }

    [Property(MaxTest = 12)]
    public bool Onnx_logits_match_torchsharp(PositiveInt seed, byte pick)
    {
        int v = 5 + pick % 40, e = 2 + pick % 13, h = 1 + (pick * 7) % 17, depth = 1 + pick % 4, t = 1 + seed.Get % 11, b = 1 + (seed.Get / 11) % 5;
        using var model = Random(seed.Get, e, h, depth, v);
        var x = Tokens(seed.Get + 1, t, b, v);
        var expected = Torch(model, x, t, b);
        using var session = OrtSessions.Open(model.ToOnnx(new Dictionary<string, string> { ["domain"] = "lm" }).ToByteArray(), 1);
        var actual = LmOrtEval.Logits(session, x, t, b);
        return actual.Length == expected.Length && expected.Zip(actual, (a, c) => Math.Abs(a - c)).Max() <= 1e-4;
    }

    /// <summary>In the ONNX graph, a position's logits depend on neither later tokens (a longer sequence starts with the
    /// same logits) nor the other rows of its batch (each row alone gives its own logits).</summary>
    [Property(MaxTest = 8)]
    public bool Onnx_logits_do_not_depend_on_later_tokens_or_other_rows(PositiveInt seed)
    {
        int v = 11, t = 2 + seed.Get % 6, extra = 1 + seed.Get % 4, b = 2 + seed.Get % 3;
        using var model = Random(seed.Get, 5, 6, 2, v);
        using var session = OrtSessions.Open(model.ToOnnx(new Dictionary<string, string>()).ToByteArray(), 1);
        var longer = Tokens(seed.Get, t + extra, b, v);
        var full = LmOrtEval.Logits(session, longer, t + extra, b);
        var prefix = LmOrtEval.Logits(session, longer[..(t * b)], t, b);
        bool samePrefix = prefix.Zip(full, (a, c) => Math.Abs(a - c)).Max() <= 1e-5;
        bool sameRows = Enumerable.Range(0, b).All(j =>
        {
            var column = Enumerable.Range(0, t + extra).Select(i => longer[i * b + j]).ToArray();
            var alone = LmOrtEval.Logits(session, column, t + extra, 1);
            return Enumerable.Range(0, t + extra).All(i => Enumerable.Range(0, v).All(k => Math.Abs(alone[i * v + k] - full[(i * b + j) * v + k]) <= 1e-5));
        });
        return samePrefix && sameRows;
    }

    [Fact]
    public void Parameter_counts_match_the_models_for_both_families()
    {
        TorchSetup.Once();
        foreach (var spec in new[] { new LmModelSpec(7, 9, 1, 0), new LmModelSpec(5, 11, 2, 0.1), new LmModelSpec(7, 9, 1, 0, "rhn"), new LmModelSpec(4, 13, 3, 0, "rhn") })
        {
            using var m = spec.Create(23);
            Assert.Equal(m.parameters().Sum(p => p.numel()), spec.Parameters(23));
        }
        Assert.Equal("lstm-e16-h16-l1-d0.1", new LmModelSpec(16, 16, 1, 0.1).Name);   // LSTM names (and so trial ids) as before families
        Assert.Equal("rhn-e16-h16-r2-d0.1", new LmModelSpec(16, 16, 2, 0.1, "rhn").Name);
        Assert.Throws<ArgumentException>(() => new LmModelSpec(4, 4, 1, 0, "gru").Create(10));
    }

    [Property(MaxTest = 10)]
    public bool A_given_gate_bias_starts_every_transform_gate_there_and_names_the_model(byte hidden, byte depth, sbyte bias)
    {
        TorchSetup.Once();
        int h = hidden % 12 + 1, d = depth % 3 + 1;
        double g = bias / 16.0;
        var spec = new LmModelSpec(5, h, d, 0, "rhn", g);
        using var m = spec.Create(17);
        // each layer's bias is [candidate (h) | transform gate (h)]
        var gates = m.named_parameters().Where(p => p.name.StartsWith("layers.", StringComparison.Ordinal) && p.name.EndsWith(".bias", StringComparison.Ordinal))
            .Select(p => p.parameter.narrow(0, h, h).data<float>().ToArray()).ToList();
        return gates.Count == d && gates.All(v => v.All(x => x == (float)g))
            && spec.Name.EndsWith(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"-g{g:0.###}"), StringComparison.Ordinal);
    }

    [Fact]
    public void Without_a_gate_bias_the_spec_serialises_and_initialises_as_before()
    {
        TorchSetup.Once();
        // the serialised spec is part of every trial id: a spec without a gate bias must not change it
        var classic = new LmModelSpec(16, 16, 2, 0.1, "rhn");
        Assert.DoesNotContain("GateBias", System.Text.Json.JsonSerializer.Serialize(classic));
        Assert.Contains("\"GateBias\":0", System.Text.Json.JsonSerializer.Serialize(classic with { GateBias = 0 }));
        Assert.NotEqual(classic.Name, (classic with { GateBias = 0 }).Name);
        using var m = classic.Create(11);
        var gate = m.named_parameters().First(p => p.name == "layers.0.bias").parameter.narrow(0, 16, 16).data<float>().ToArray();
        Assert.All(gate, x => Assert.Equal((float)RhnLm.TransformBias, x));
        Assert.Throws<ArgumentException>(() => new LmModelSpec(8, 8, 1, 0, "lstm", 0).Create(11));
    }

    [Fact]
    public async Task A_preset_giving_an_lstm_a_gate_bias_is_refused_when_planned()
    {
        var dir = Path.Combine(Path.GetTempPath(), $"lab-gate-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        var smoke = Lab.Pipeline.Domains.Lm.LmRunner.Presets.Smoke;
        var bad = smoke with { Name = "gated", Models = smoke.Models.Map(m => m.Arch == "lstm" ? m with { GateBias = 0 } : m) };
        var file = Path.Combine(dir, "gated.json");
        File.WriteAllText(file, Lab.Stages.Search.PresetFile.Write(bad));
        var err = new StringWriter();
        Assert.Equal(2, await Lab.Pipeline.Cli.Run(["plan", "--domain", "lm", "--preset", file, "--out", Path.Combine(dir, "out"), "--quiet"], err));
        Assert.Contains("has a GateBias, which only recurrent highway networks take", err.ToString());
        Directory.Delete(dir, true);
    }
}
