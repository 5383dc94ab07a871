using Lab.Stages.Export.Onnx;
using TorchSharp.Modules;
using static TorchSharp.torch.nn;

namespace Lab.Stages.Language;

/// <summary>
/// Embedding → recurrent highway network (Zilly et al. 2017, coupled carry gate) → linear. Each time step runs
/// <c>Layers</c> highway layers on the state s: z = R_l s + b_l (+ W x_t in the first layer), candidate h = tanh(z_h),
/// transform gate g = σ(z_g), s ← h·g + s·(1 − g); the step's output is the last layer's state. Input token ids [T, B];
/// output logits [T, B, V].
/// </summary>
public sealed class RhnLm : LanguageModel
{
    /// <summary>The transform gates' initial bias: negative, so each layer starts close to carrying its state.</summary>
    public const double TransformBias = -2.0;

    internal readonly Embedding embed;
    internal readonly Linear input;
    internal readonly ModuleList<Linear> layers;
    internal readonly Linear head;
    readonly Dropout drop;

    /// <summary>A freshly initialised model (draws from torch's global generator: seed it first).</summary>
    public RhnLm(LmModelSpec spec, int vocabSize) : base("RhnLm", spec, vocabSize)
    {
        if (spec.Layers < 1) throw new ArgumentException($"an RHN needs a recurrence depth of at least 1 (spec {spec.Name})");
        int h = spec.Hidden;
        embed = Embedding(vocabSize, spec.Embed);
        input = Linear(spec.Embed, 2 * h, hasBias: false);
        layers = new ModuleList<Linear>(Enumerable.Range(0, spec.Layers).Select(_ => Linear(h, 2 * h)).ToArray());
        drop = Dropout(spec.Dropout);
        head = Linear(h, vocabSize);
        using (no_grad())
            foreach (var l in layers)
            {
                using var gate = l.bias!.narrow(0, h, h);
                using var b = TransformBias.ToScalar();
                gate.fill_(b);
            }
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor tokens)
    {
        using var scope = NewDisposeScope();
        long steps = tokens.shape[0], batch = tokens.shape[1];
        int h = Spec.Hidden;
        var xw = input.call(drop.call(embed.call(tokens)));
        var s = zeros([batch, h], device: tokens.device);
        var outputs = new Tensor[steps];
        for (long t = 0; t < steps; t++)
        {
            for (int l = 0; l < layers.Count; l++)
            {
                var z = layers[l].call(s);
                if (l == 0) z = z.add(xw[t]);
                var parts = z.chunk(2, 1);
                var candidate = parts[0].tanh();
                var gate = parts[1].sigmoid();
                s = s.add(gate.mul(candidate.sub(s)));
            }
            outputs[t] = s;
        }
        return head.call(drop.call(stack(outputs, 0))).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public override ModelProto ToOnnx(IReadOnlyDictionary<string, string> metadata) => RhnOnnx.Export(this, metadata);
}
