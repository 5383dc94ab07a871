using Lab.Stages.Export.Onnx;
using static Lab.Stages.Export.OnnxGraph;
using DataType = Lab.Stages.Export.Onnx.TensorProto.Types.DataType;

namespace Lab.Stages.Language;

/// <summary>
/// Writes an <see cref="LstmLm"/> as ONNX (opset 17): Gather for the embedding, one ONNX LSTM per layer (gates
/// reordered from PyTorch's i,f,g,o to ONNX's i,o,f,c; the two biases concatenated), MatMul + Add for the output layer.
/// Input "tokens" int64 [seq, batch]; output "logits" float [seq, batch, vocab].
/// </summary>
public static class LstmOnnx
{
    /// <summary>The model file with the given metadata_props.</summary>
    public static ModelProto Export(LstmLm model, IReadOnlyDictionary<string, string> metadata)
    {
        var p = model.named_parameters().ToDictionary(kv => kv.name, kv => kv.parameter);
        var g = new OnnxGraph("lstm_lm");
        int h = model.Spec.Hidden;
        var tokens = g.Input("tokens", DataType.Int64, "seq", "batch");
        var x = g.Node("Gather", [g.Weight("embed.weight", p["embed.weight"]), tokens], 1, Attr("axis", 0L));
        var squeezeAxes = g.Int64s("axes_1", 1);
        for (int l = 0; l < model.Spec.Layers; l++)
        {
            using var w = RecurrentGates.Lstm(p[$"lstm.weight_ih_l{l}"]).unsqueeze(0);
            using var r = RecurrentGates.Lstm(p[$"lstm.weight_hh_l{l}"]).unsqueeze(0);
            using var b = cat([RecurrentGates.Lstm(p[$"lstm.bias_ih_l{l}"]), RecurrentGates.Lstm(p[$"lstm.bias_hh_l{l}"])], 0).unsqueeze(0);
            var y = g.Node("LSTM", [x, g.Weight($"lstm.W{l}", w), g.Weight($"lstm.R{l}", r), g.Weight($"lstm.B{l}", b)], 1,
                Attr("hidden_size", (long)h));
            x = g.Node("Squeeze", [y, squeezeAxes]);
        }
        using var wt = p["head.weight"].t();
        var logits = g.Node("Add", [g.Node("MatMul", [x, g.Weight("head.weight_t", wt)]), g.Weight("head.bias", p["head.bias"])]);
        g.Output(logits, "logits", DataType.Float, "seq", "batch", (long)model.VocabSize);
        return g.ToModel(metadata, $"LSTM language model {model.Spec.Name}, vocabulary {model.VocabSize}");
    }
}
