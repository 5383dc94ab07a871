using Google.Protobuf;

namespace Lab.Stages.Domains.Nmt;

/// <summary>The three ONNX graphs of a translation model of either architecture, as file bytes.</summary>
public static class NmtExport
{
    /// <summary>(scoring, encoder, decoder step) graphs with the given metadata.</summary>
    public static (byte[] Scoring, byte[] Encoder, byte[] Step) Graphs(nn.Module<Tensor, Tensor, Tensor> model, IReadOnlyDictionary<string, string> metadata) => model switch
    {
        Seq2SeqLstm l => (NmtOnnx.Scoring(l, metadata).ToByteArray(), NmtOnnx.EncoderGraph(l, metadata).ToByteArray(), NmtOnnx.Step(l, metadata).ToByteArray()),
        Seq2SeqTransformer t => (TransformerOnnx.Scoring(t, metadata).ToByteArray(), TransformerOnnx.EncoderGraph(t, metadata).ToByteArray(), TransformerOnnx.Step(t, metadata).ToByteArray()),
        _ => throw new ArgumentException($"no exporter for {model.GetType().Name}")
    };
}
