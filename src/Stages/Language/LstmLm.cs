using TorchSharp.Modules;
using static TorchSharp.torch.nn;

namespace Lab.Stages.Language;

/// <summary>Embedding → LSTM → linear language model. Input token ids [T, B]; output logits [T, B, V].</summary>
public sealed class LstmLm : LanguageModel
{
    internal readonly Embedding embed;
    internal readonly LSTM lstm;
    internal readonly Linear head;
    readonly Dropout drop;

    /// <summary>A freshly initialised model (draws from torch's global generator: seed it first).</summary>
    public LstmLm(LmModelSpec spec, int vocabSize) : base("LstmLm", spec, vocabSize)
    {
        embed = Embedding(vocabSize, spec.Embed);
        lstm = LSTM(spec.Embed, spec.Hidden, spec.Layers, dropout: spec.Layers > 1 ? spec.Dropout : 0.0);
        drop = Dropout(spec.Dropout);
        head = Linear(spec.Hidden, vocabSize);
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor tokens)
    {
        using var e = drop.call(embed.call(tokens));
        var (y, h, c) = lstm.call(e);
        h.Dispose(); c.Dispose();
        using (y) using (var d = drop.call(y)) return head.call(d);
    }

    /// <inheritdoc />
    protected override Embedding Embedding => embed;
    /// <inheritdoc />
    protected override Linear Head => head;
    /// <inheritdoc />
    protected override string Description => "LSTM language model";
    /// <inheritdoc />
    protected override string ExportRecurrence(OnnxGraph g, string embedded, string tokens) => LstmOnnx.Recurrence(g, this, embedded);
}
