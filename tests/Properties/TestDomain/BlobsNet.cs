using Lab.Stages.Export;
using TorchSharp;
using TorchSharp.Modules;
using static Lab.Stages.Export.OnnxGraph;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;
using DataType = Lab.Stages.Export.Onnx.TensorProto.Types.DataType;

namespace Lab.Tests.TestDomain;

/// <summary>The recipe's model spec: a one-hidden-layer perceptron of a width.</summary>
public sealed record BlobsModel(int Width) : Lab.Stages.Search.IModelSpec
{
    /// <summary>The one family.</summary>
    public string Arch => "mlp";
    /// <summary>Canonical name (part of the trial id).</summary>
    public string Name => $"mlp-w{Width}";
}

/// <summary>The recipe's model: Linear → ReLU → Linear, and its ONNX graph built from the weights.</summary>
public sealed class BlobsNet : Module<Tensor, Tensor>
{
    readonly Linear hidden, output;

    /// <summary>A fresh model (seed torch first).</summary>
    public BlobsNet(BlobsModel spec, int dim, int classes) : base("BlobsNet")
    {
        hidden = Linear(dim, spec.Width);
        output = Linear(spec.Width, classes);
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor x) => output.call(functional.relu(hidden.call(x)));

    /// <summary>The ONNX graph: input x float [batch, dim], output logits float [batch, classes].</summary>
    public byte[] Export(IReadOnlyDictionary<string, string> metadata, int dim)
    {
        var g = new OnnxGraph("blobs");
        var x = g.Input("x", DataType.Float, "batch", (long)dim);
        string Dense(string input, Linear l, string name)
            => g.Node("Gemm", [input, g.Weight($"{name}.weight", l.weight!), g.Weight($"{name}.bias", l.bias!)], 1, Attr("transB", 1L));
        g.Output(Dense(g.Node("Relu", [Dense(x, hidden, "hidden")]), output, "output"), "logits", DataType.Float, "batch", output.weight!.shape[0]);
        return Google.Protobuf.MessageExtensions.ToByteArray(g.ToModel(metadata, "blobs MLP"));
    }
}
