using Lab.Stages.Export.Onnx;
using static Lab.Stages.Export.OnnxGraph;
using DataType = Lab.Stages.Export.Onnx.TensorProto.Types.DataType;

namespace Lab.Stages.Domains.Image;

/// <summary>
/// Writes a <see cref="ConvNet"/> as ONNX (opset 17) in inference form: Sub/Div normalisation, Conv +
/// BatchNormalization (running statistics) + Relu, Add for residual blocks, GlobalAveragePool, Flatten, Gemm.
/// Input "images" float [batch, channels, height, width] in [0, 1]; output "logits" float [batch, classes].
/// </summary>
public static class ImageOnnx
{
    /// <summary>The model file with the given metadata_props.</summary>
    public static ModelProto Export(ConvNet net, int channels, int height, int width, IReadOnlyDictionary<string, string> metadata)
    {
        var g = new OnnxGraph("convnet");
        var x = g.Input("images", DataType.Float, "batch", (long)channels, (long)height, (long)width);
        var (mean, std) = net.Normalisation;
        using var m = tensor(new[] { mean }); using var s = tensor(new[] { std });
        var h = g.Node("Div", [g.Node("Sub", [x, g.Weight("norm.mean", m)]), g.Weight("norm.std", s)]);
        int i = 0;
        foreach (var layer in net.Layers) h = layer.Export(g, h, $"layer{i++}");
        var pooled = g.Node("Flatten", [g.Node("GlobalAveragePool", [h])], 1, Attr("axis", 1L));
        var logits = g.Node("Gemm", [pooled, g.Weight("head.weight", net.Head.weight!), g.Weight("head.bias", net.Head.bias!)], 1, Attr("transB", 1L));
        g.Output(logits, "logits", DataType.Float, "batch", (long)net.Classes);
        return g.ToModel(metadata, $"{net.Spec.Name} image classifier, {net.Classes} classes, {channels}×{height}×{width} input");
    }
}
