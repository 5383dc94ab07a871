using Lab.Stages.Export.Onnx;
using TorchSharp.Modules;
using static Lab.Stages.Export.OnnxGraph;
using static TorchSharp.torch.nn;
using DataType = Lab.Stages.Export.Onnx.TensorProto.Types.DataType;

namespace Lab.Stages.Language;

/// <summary>
/// A next-unit model over a vocabulary: token ids [T, B] (time-major) in, logits [T, B, V] out — an embedding, a
/// family's recurrence, a linear output layer — and the ONNX graph of the same function built from its weights (input
/// "tokens" int64 [seq, batch], output "logits" float [seq, batch, vocab]; opset 17). A family writes only its recurrence.
/// </summary>
public abstract class LanguageModel(string name, LmModelSpec spec, int vocabSize) : Module<Tensor, Tensor>(name)
{
    /// <summary>The spec it was built from.</summary>
    public LmModelSpec Spec { get; } = spec;
    /// <summary>Vocabulary size.</summary>
    public int VocabSize { get; } = vocabSize;

    /// <summary>The embedding (exported as "embed.weight").</summary>
    protected abstract Embedding Embedding { get; }
    /// <summary>The output layer (exported as "head.weight_t", "head.bias").</summary>
    protected abstract Linear Head { get; }
    /// <summary>What the model file's doc string calls the family ("LSTM language model").</summary>
    protected abstract string Description { get; }

    /// <summary>Adds the recurrence's nodes: from the embedded tokens [seq, batch, E] (and the token ids, for shapes) to
    /// the states [seq, batch, H] the output layer reads.</summary>
    protected abstract string ExportRecurrence(OnnxGraph g, string embedded, string tokens);

    /// <summary>The model file with the given metadata_props.</summary>
    public ModelProto ToOnnx(IReadOnlyDictionary<string, string> metadata)
    {
        var g = new OnnxGraph($"{Spec.Arch}_lm");
        var tokens = g.Input("tokens", DataType.Int64, "seq", "batch");
        var x = g.Node("Gather", [g.Weight("embed.weight", Embedding.weight!), tokens], 1, Attr("axis", 0L));
        var states = ExportRecurrence(g, x, tokens);
        using var wt = Head.weight!.t();
        var logits = g.Node("Add", [g.Node("MatMul", [states, g.Weight("head.weight_t", wt)]), g.Weight("head.bias", Head.bias!)]);
        g.Output(logits, "logits", DataType.Float, "seq", "batch", (long)VocabSize);
        return g.ToModel(metadata, $"{Description} {Spec.Name}, vocabulary {VocabSize}");
    }
}
