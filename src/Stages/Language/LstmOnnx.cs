using static Lab.Stages.Export.OnnxGraph;

namespace Lab.Stages.Language;

/// <summary>An <see cref="LstmLm"/>'s recurrence in ONNX: one ONNX LSTM per layer (gates reordered from PyTorch's
/// i,f,g,o to ONNX's i,o,f,c; the two biases concatenated), each output squeezed to [seq, batch, H].</summary>
public static class LstmOnnx
{
    /// <summary>Adds the layers to the graph; returns the last layer's states.</summary>
    public static string Recurrence(OnnxGraph g, LstmLm model, string x)
    {
        var p = model.named_parameters().ToDictionary(kv => kv.name, kv => kv.parameter);
        var squeezeAxes = g.Int64s("axes_1", 1);
        for (int l = 0; l < model.Spec.Layers; l++)
        {
            using var w = RecurrentGates.Lstm(p[$"lstm.weight_ih_l{l}"]).unsqueeze(0);
            using var r = RecurrentGates.Lstm(p[$"lstm.weight_hh_l{l}"]).unsqueeze(0);
            using var b = cat([RecurrentGates.Lstm(p[$"lstm.bias_ih_l{l}"]), RecurrentGates.Lstm(p[$"lstm.bias_hh_l{l}"])], 0).unsqueeze(0);
            var y = g.Node("LSTM", [x, g.Weight($"lstm.W{l}", w), g.Weight($"lstm.R{l}", r), g.Weight($"lstm.B{l}", b)], 1,
                Attr("hidden_size", (long)model.Spec.Hidden));
            x = g.Node("Squeeze", [y, squeezeAxes]);
        }
        return x;
    }
}
