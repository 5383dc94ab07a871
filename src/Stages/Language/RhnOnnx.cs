using Lab.Stages.Export.Onnx;
using static Lab.Stages.Export.OnnxGraph;
using DataType = Lab.Stages.Export.Onnx.TensorProto.Types.DataType;

namespace Lab.Stages.Language;

/// <summary>
/// An <see cref="RhnLm"/>'s recurrence in ONNX. ONNX has no highway operator, so the time recurrence is a Scan over
/// the input projections W·x_t [T, B, 2H] (computed for all steps at once) whose body holds the recurrence depth's
/// highway layers (MatMul + Add, Split into candidate and gate, Tanh, Sigmoid, s + g·(h − s)) and returns the new state
/// both as the carried state and as the step's output. The state starts at zeros of [batch, H] (ConstantOfShape).
/// </summary>
public static class RhnOnnx
{
    /// <summary>Adds the Scan to the graph; returns the states [seq, batch, H].</summary>
    public static string Recurrence(OnnxGraph g, RhnLm model, string x, string tokens)
    {
        using var wt = model.input.weight!.t();
        var projected = g.Node("MatMul", [x, g.Weight("input.weight_t", wt)]);
        var batch = g.Node("Shape", [tokens], 1, Attr("start", 1L), Attr("end", 2L));
        var stateShape = g.Node("Concat", [batch, g.Int64s("state_width", model.Spec.Hidden)], 1, Attr("axis", 0L));
        var zero = g.Node("ConstantOfShape", [stateShape]);
        return g.NodeOutputs("Scan", [zero, projected], 2, Attr("body", Step(model)), Attr("num_scan_inputs", 1L))[1];
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
