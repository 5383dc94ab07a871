using TorchSharp.Modules;
using static Lab.Stages.Export.OnnxGraph;
using static TorchSharp.torch.nn;

namespace Lab.Stages.Domains.Image;

/// <summary>3×3 (or 1×1) convolution without bias, batch normalisation, optional ReLU.</summary>
public sealed class ConvBn : Module<Tensor, Tensor>, IOnnxExportable
{
    readonly Conv2d conv;
    readonly BatchNorm2d bn;
    readonly bool relu;
    readonly int k, s;

    /// <summary>BatchNorm2d's defaults; the ONNX export's epsilon is the same constant.</summary>
    const double Momentum = 0.1, Eps = 1e-5;

    /// <summary>in → out channels, kernel k, stride s, padding k/2.</summary>
    public ConvBn(int cin, int cout, int k, int s, bool relu) : base("ConvBn")
    {
        conv = Conv2d(cin, cout, k, stride: s, padding: k / 2, bias: false);
        bn = BatchNorm2d(cout, eps: Eps, momentum: Momentum);
        this.relu = relu; this.k = k; this.s = s;
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor x)
    {
        using var c = conv.call(x);
        // not bn.call: BatchNorm's own forward counts batches with num_batches_tracked.add_(1), whose implicit Scalars
        // only the finalizer frees, possibly while the native call reads them (TorchSharp's Scalar race; it crashed
        // `pipeline bench --domain image` in BatchNorm.forward). With momentum 0.1 the count plays no part, so the same
        // normalisation is computed directly (batch statistics and running-average update in training, running
        // statistics in evaluation).
        var y = functional.batch_norm(c, bn.running_mean, bn.running_var, bn.weight, bn.bias, training, Momentum, Eps);
        if (!relu) return y;
        using (y) return functional.relu(y);
    }

    /// <inheritdoc />
    public string Export(OnnxGraph g, string input, string prefix)
    {
        var c = g.Node("Conv", [input, g.Weight($"{prefix}.conv.weight", conv.weight)], 1,
            Attr("kernel_shape", new long[] { k, k }), Attr("strides", new long[] { s, s }), Attr("pads", new long[] { k / 2, k / 2, k / 2, k / 2 }));
        var b = g.Node("BatchNormalization", [c, g.Weight($"{prefix}.bn.weight", bn.weight!), g.Weight($"{prefix}.bn.bias", bn.bias!),
            g.Weight($"{prefix}.bn.running_mean", bn.running_mean!), g.Weight($"{prefix}.bn.running_var", bn.running_var!)], 1, Attr("epsilon", (float)Eps));
        return relu ? g.Node("Relu", [b]) : b;
    }
}

/// <summary>ResNet basic block: conv-bn-relu-conv-bn plus the shortcut (a strided 1×1 conv-bn when the shape changes), then ReLU.</summary>
public sealed class BasicBlock : Module<Tensor, Tensor>, IOnnxExportable
{
    readonly ConvBn a, b;
    readonly ConvBn? shortcut;

    /// <summary>in → out channels with stride s.</summary>
    public BasicBlock(int cin, int cout, int s) : base("BasicBlock")
    {
        a = new ConvBn(cin, cout, 3, s, true);
        b = new ConvBn(cout, cout, 3, 1, false);
        shortcut = s != 1 || cin != cout ? new ConvBn(cin, cout, 1, s, false) : null;
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor x)
    {
        using var h = a.call(x);
        using var main = b.call(h);
        using var side = shortcut is null ? x.alias() : shortcut.call(x);
        using var sum = ScalarOps.Plus(main, side);
        return functional.relu(sum);
    }

    /// <inheritdoc />
    public string Export(OnnxGraph g, string input, string prefix)
    {
        var main = b.Export(g, a.Export(g, input, $"{prefix}.a"), $"{prefix}.b");
        var side = shortcut is null ? input : shortcut.Export(g, input, $"{prefix}.shortcut");
        return g.Node("Relu", [g.Node("Add", [main, side])]);
    }
}

/// <summary>
/// An image classifier of either family: input pixels in [0, 1] as [N, C, H, W], normalised inside the model with the
/// training split's mean and standard deviation; a strided stem, two stages (width w, then 2w at half resolution), global
/// average pooling and a linear layer. ResNet stages are basic blocks; plain-CNN stages are conv-bn-relu layers.
/// </summary>
public sealed class ConvNet : Module<Tensor, Tensor>
{
    /// <summary>The spec it was built from.</summary>
    public ImageModelSpec Spec { get; }
    /// <summary>Classes.</summary>
    public int Classes { get; }
    readonly float mean, std;
    readonly ModuleList<Module<Tensor, Tensor>> layers;
    readonly Linear head;

    /// <summary>A freshly initialised model (draws from torch's global generator: seed it first).</summary>
    public ConvNet(ImageModelSpec spec, int channels, int classes, float mean, float std) : base("ConvNet")
    {
        Spec = spec; Classes = classes; this.mean = mean; this.std = std;
        int w = spec.Width;
        var list = new List<Module<Tensor, Tensor>> { new ConvBn(channels, w, 3, 2, true) };
        for (int stage = 0; stage < 2; stage++)
        {
            int cin = w, cout = stage == 0 ? w : 2 * w;   // stage 1 takes stage 0's w channels
            for (int d = 0; d < spec.Depth; d++)
            {
                int s = stage == 1 && d == 0 ? 2 : 1, inC = d == 0 ? cin : cout;
                list.Add(spec.Arch == "resnet" ? new BasicBlock(inC, cout, s) : new ConvBn(inC, cout, 3, s, true));
            }
        }
        layers = ModuleList(list.ToArray());
        head = Linear(2 * w, classes);
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var h = ScalarOps.Div(ScalarOps.Sub(x, mean), std);
        foreach (var l in layers) h = l.call(h);
        var pooled = h.mean([2, 3]);
        return head.call(pooled).MoveToOuterDisposeScope();
    }

    /// <summary>The layers in order, for export.</summary>
    public IEnumerable<IOnnxExportable> Layers => layers.Cast<IOnnxExportable>();
    /// <summary>Normalisation constants.</summary>
    public (float Mean, float Std) Normalisation => (mean, std);
    /// <summary>The output layer.</summary>
    public Linear Head => head;
}
