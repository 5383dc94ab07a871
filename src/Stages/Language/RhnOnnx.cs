using Lab.Stages.Export.Onnx;
using static Lab.Stages.Export.OnnxGraph;
using DataType = Lab.Stages.Export.Onnx.TensorProto.Types.DataType;

namespace Lab.Stages.Language;

/// <summary>
/// Writes an <see cref="RhnLm"/> as ONNX (opset 17). ONNX has no highway operator, so the time recurrence is a Scan over
/// the input projections W·x_t [T, B, 2H] (computed for all steps at once) whose body holds the recurrence depth's
/// highway layers (MatMul + Add, Split into candidate and gate, Tanh, Sigmoid, s + g·(h − s)) and returns the new state
/// both as the carried state and as the step's output. The state starts at zeros of [batch, H] (ConstantOfShape).
/// Input "tokens" int64 [seq, batch]; output "logits" float [seq, batch, vocab].
/// </summary>
public static class RhnOnnx
{
    /// <summary>The model file with the given metadata_props.</summary>
    public static ModelProto Export(RhnLm model, IReadOnlyDictionary<string, string> metadata)
    {
        int h = model.Spec.Hidden;
        var g = new OnnxGraph("rhn_lm");
        var tokens = g.Input("tokens", DataType.Int64, "seq", "batch");
        var x = g.Node("Gather", [g.Weight("embed.weight", model.embed.weight!), tokens], 1, Attr("axis", 0L));
        using var wt = model.input.weight!.t();
        var projected = g.Node("MatMul", [x, g.Weight("input.weight_t", wt)]);
        var batch = g.Node("Shape", [tokens], 1, Attr("start", 1L), Attr("end", 2L));
        var stateShape = g.Node("Concat", [batch, g.Int64s("state_width", h)], 1, Attr("axis", 0L));
        var zero = g.Node("ConstantOfShape", [stateShape]);
        var outputs = g.NodeOutputs("Scan", [zero, projected], 2, Attr("body", Step(model)), Attr("num_scan_inputs", 1L));
        using var headT = model.head.weight!.t();
        var logits = g.Node("Add", [g.Node("MatMul", [outputs[1], g.Weight("head.weight_t", headT)]), g.Weight("head.bias", model.head.bias!)]);
        g.Output(logits, "logits", DataType.Float, "seq", "batch", (long)model.VocabSize);
        return g.ToModel(metadata, $"Recurrent highway network language model {model.Spec.Name}, vocabulary {model.VocabSize}");
    }

    /// <summary>The Scan body: (state [batch, H], projected input [batch, 2H]) → (new state, step output).</summary>
    static GraphProto Step(RhnLm model)
    {
        int h = model.Spec.Hidden;
        var b = new OnnxGraph("rhn_step", "step_");
        var s = b.Input("step_state_in", DataType.Float, "batch", (long)h);
        var xt = b.Input("step_projected_in", DataType.Float, "batch", 2L * h);
        for (int l = 0; l < model.layers.Count; l++)
        {
            using var rt = model.layers[l].weight!.t();
            var z = b.Node("Add", [b.Node("MatMul", [s, b.Weight($"step.layer{l}.weight_t", rt)]), b.Weight($"step.layer{l}.bias", model.layers[l].bias!)]);
            if (l == 0) z = b.Node("Add", [z, xt]);
            var halves = b.NodeOutputs("Split", [z], 2, Attr("axis", 1L));
            var candidate = b.Node("Tanh", [halves[0]]);
            var gate = b.Node("Sigmoid", [halves[1]]);
            s = b.Node("Add", [s, b.Node("Mul", [gate, b.Node("Sub", [candidate, s])])]);
        }
        b.Output(s, "step_state_out", DataType.Float, "batch", (long)h);
        b.Output(s, "step_output", DataType.Float, "batch", (long)h);
        return b.Body;
    }
}
