using Lab.Stages.Export.Onnx;
using static TorchSharp.torch.nn;

namespace Lab.Stages.Language;

/// <summary>
/// A next-unit model over a vocabulary: token ids [T, B] (time-major) in, logits [T, B, V] out, and the ONNX graph of the
/// same function built from its weights (input "tokens" int64 [seq, batch], output "logits" float [seq, batch, vocab]).
/// </summary>
public abstract class LanguageModel(string name, LmModelSpec spec, int vocabSize) : Module<Tensor, Tensor>(name)
{
    /// <summary>The spec it was built from.</summary>
    public LmModelSpec Spec { get; } = spec;
    /// <summary>Vocabulary size.</summary>
    public int VocabSize { get; } = vocabSize;

    /// <summary>The model file (opset 17) with the given metadata_props.</summary>
    public abstract ModelProto ToOnnx(IReadOnlyDictionary<string, string> metadata);
}
