using Lab.Stages.Export.Onnx;
using TorchSharp.Modules;
using static Lab.Stages.Export.OnnxGraph;
using DataType = Lab.Stages.Export.Onnx.TensorProto.Types.DataType;

namespace Lab.Stages.Domains.Speech;

/// <summary>
/// Writes a <see cref="CtcModel"/> as ONNX (opset 17). Inputs "features" float [batch, frames, 80] (normalised log-mel,
/// zero past each length) and "lengths" int64 [batch]; outputs "log_probs" float [steps, batch, classes] and
/// "out_lengths" int64 [batch]. Conv, Clip (clipped ReLU) or Relu, a Range/Less time mask after each convolution, GRU
/// (bidirectional, PyTorch's gate order r,z,n mapped to ONNX's z,r,h, linear_before_reset = 1, sequence_lens so the
/// backward direction starts at each utterance's own end), MatMul + Add, LogSoftmax.
/// </summary>
public static class SpeechOnnx
{
    /// <summary>The model file with the given metadata_props.</summary>
    public static ModelProto Export(CtcModel model, IReadOnlyDictionary<string, string> metadata)
    {
        var g = new OnnxGraph($"ctc_{model.Spec.Arch}");
        var features = g.Input("features", DataType.Float, "batch", "frames", (long)LogMel.Bins);
        var lengths = g.Input("lengths", DataType.Int64, "batch");
        int k = SpeechModelSpec.Kernel;
        var outLengths = g.Node("Add", [g.Node("Div", [g.Node("Add", [lengths, g.Int64s("len_offset", 2 * (k / 2) - k)]),
            g.Int64s("len_stride", model.Spec.TimeStride)]), g.Int64s("len_one", 1)]);
        var logits = model switch
        {
            Ds2 d => Ds2Graph(g, d, features, outLengths),
            ConvCtc c => ConvGraph(g, c, features, outLengths),
            _ => throw new ArgumentException($"no exporter for {model.GetType().Name}")
        };
        g.Output(g.Node("LogSoftmax", [logits], 1, Attr("axis", -1L)), "log_probs", DataType.Float, "steps", "batch", (long)model.Vocab);
        g.Output(outLengths, "out_lengths", DataType.Int64, "batch");
        return g.ToModel(metadata, $"CTC speech recogniser {model.Spec.Name}, {model.Vocab} classes (blank 0)");
    }

    /// <summary>[B, T'] float mask of the positions before each output length, T' read from axis <paramref name="timeAxis"/> of x.</summary>
    static string Mask(OnnxGraph g, string x, int timeAxis, string outLengths)
    {
        var t = g.Node("Gather", [g.Node("Shape", [x]), g.Int64Scalar($"time_axis_{x}", timeAxis)], 1, Attr("axis", 0L));
        var steps = g.Node("Range", [g.Int64Scalar($"zero_{x}", 0), t, g.Int64Scalar($"one_{x}", 1)]);
        var less = g.Node("Less", [g.Node("Unsqueeze", [steps, g.Int64s($"ax0_{x}", 0)]), g.Node("Unsqueeze", [outLengths, g.Int64s($"ax1_{x}", 1)])]);
        return g.Node("Cast", [less], 1, Attr("to", (long)DataType.Float));
    }

    static string Conv(OnnxGraph g, string x, nn.Module conv, string name, long[] kernel, long[] strides, long[] pads)
    {
        var p = conv.named_parameters().ToDictionary(kv => kv.name, kv => kv.parameter);
        return g.Node("Conv", [x, g.Weight($"{name}.weight", p["weight"]), g.Weight($"{name}.bias", p["bias"])], 1,
            Attr("kernel_shape", kernel), Attr("strides", strides), Attr("pads", pads));
    }

    static string Ds2Graph(OnnxGraph g, Ds2 m, string features, string outLengths)
    {
        int k = SpeechModelSpec.Kernel;
        var x = g.Node("Unsqueeze", [features, g.Int64s("ax_channel", 1)]);
        var lo = g.FloatScalar("clip_lo", 0f); var hi = g.FloatScalar("clip_hi", 20f);
        x = g.Node("Clip", [Conv(g, x, m.conv1, "conv1", [k, 11], [m.Spec.TimeStride, 2], [k / 2, 5, k / 2, 5]), lo, hi]);
        var mask = g.Node("Unsqueeze", [Mask(g, x, 2, outLengths), g.Int64s("ax_mask", 1, 3)]);   // [B, 1, T', 1]
        x = g.Node("Mul", [x, mask]);
        x = g.Node("Mul", [g.Node("Clip", [Conv(g, x, m.conv2, "conv2", [k, 11], [1, 2], [k / 2, 5, k / 2, 5]), lo, hi]), mask]);
        var flat = g.Int64s("shape_tb_rest", 0, 0, -1);
        x = g.Node("Reshape", [g.Node("Transpose", [x], 1, Attr("perm", new long[] { 2, 0, 1, 3 })), flat]);   // [T', B, C·20]
        var seqLens = g.Node("Cast", [outLengths], 1, Attr("to", (long)DataType.Int32));
        var p = m.gru.named_parameters().ToDictionary(kv => kv.name, kv => kv.parameter);
        for (int l = 0; l < m.Spec.Depth; l++)
        {
            using var w = stack([RecurrentGates.Gru(p[$"weight_ih_l{l}"]), RecurrentGates.Gru(p[$"weight_ih_l{l}_reverse"])]);
            using var r = stack([RecurrentGates.Gru(p[$"weight_hh_l{l}"]), RecurrentGates.Gru(p[$"weight_hh_l{l}_reverse"])]);
            using var b = stack([cat([RecurrentGates.Gru(p[$"bias_ih_l{l}"]), RecurrentGates.Gru(p[$"bias_hh_l{l}"])]), cat([RecurrentGates.Gru(p[$"bias_ih_l{l}_reverse"]), RecurrentGates.Gru(p[$"bias_hh_l{l}_reverse"])])]);
            var y = g.Node("GRU", [x, g.Weight($"gru.W{l}", w), g.Weight($"gru.R{l}", r), g.Weight($"gru.B{l}", b), seqLens], 1,
                Attr("hidden_size", (long)m.Spec.Width), Attr("direction", "bidirectional"), Attr("linear_before_reset", 1L));   // [T', 2, B, H]
            x = g.Node("Reshape", [g.Node("Transpose", [y], 1, Attr("perm", new long[] { 0, 2, 1, 3 })), flat]);         // [T', B, 2H]
        }
        using var wt = m.head.weight!.t();
        return g.Node("Add", [g.Node("MatMul", [x, g.Weight("head.weight_t", wt)]), g.Weight("head.bias", m.head.bias!)]);
    }

    static string ConvGraph(OnnxGraph g, ConvCtc m, string features, string outLengths)
    {
        int k = SpeechModelSpec.Kernel, bk = ConvCtc.BlockKernel;
        var x = g.Node("Relu", [Conv(g, g.Node("Transpose", [features], 1, Attr("perm", new long[] { 0, 2, 1 })), m.first, "first", [k], [m.Spec.TimeStride], [k / 2, k / 2])]);
        var mask = g.Node("Unsqueeze", [Mask(g, x, 2, outLengths), g.Int64s("ax_mask", 1)]);   // [B, 1, T']
        x = g.Node("Mul", [x, mask]);
        int i = 0;
        foreach (var b in m.blocks) { x = g.Node("Mul", [g.Node("Relu", [Conv(g, x, b, $"block{i}", [bk], [1], [bk / 2, bk / 2])]), mask]); i++; }
        return g.Node("Transpose", [Conv(g, x, m.last, "last", [1], [1], [0, 0])], 1, Attr("perm", new long[] { 2, 0, 1 }));
    }
}
