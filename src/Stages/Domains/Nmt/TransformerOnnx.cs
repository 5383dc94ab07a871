using Lab.Stages.Export;
using Lab.Stages.Export.Onnx;
using static Lab.Stages.Export.OnnxGraph;
using DataType = Lab.Stages.Export.Onnx.TensorProto.Types.DataType;

namespace Lab.Stages.Domains.Nmt;

/// <summary>
/// Writes a <see cref="Seq2SeqTransformer"/> as ONNX (opset 17): Gather + scaled positions, MatMul/Add projections,
/// Reshape/Transpose into heads, MatMul, Where (padding and causal masks), Softmax, LayerNormalization, Relu. Three
/// graphs as for the LSTM: scoring (src, tgt_in → logits [T, B, V]), encoder (src → memory [S, B, W]) and the decoder
/// step (memory, src, prefix [t, B] → logits of the last position [B, V]; the prefix is re-read each step).
/// </summary>
public static class TransformerOnnx
{
    sealed class Builder(Seq2SeqTransformer m, OnnxGraph g)
    {
        readonly Dictionary<string, TorchSharp.Modules.Parameter> p = m.named_parameters().ToDictionary(kv => kv.name, kv => kv.parameter);
        int n;
        public string W(string name) => g.Weight(name, p[name]);
        string T(string name) { using var t = p[name].t(); return g.Weight(name + "_t", t); }
        string Linear(string x, string name) => g.Node("Add", [g.Node("MatMul", [x, T($"{name}.weight")]), W($"{name}.bias")]);
        string Norm(string x, string name) => g.Node("LayerNormalization", [x, W($"{name}.weight"), W($"{name}.bias")], 1, Attr("axis", -1L), Attr("epsilon", 1e-5f));

        string? neg, heads;
        string Neg => neg ??= g.FloatScalar("neg_inf", -1e9f);
        string HeadShape => heads ??= g.Int64s("head_shape", 0, 0, m.Heads, m.Spec.Width / m.Heads);

        string Attention(string x, string kv, string name, string? padCond, string? causalCond)
        {
            var q = g.Node("Transpose", [g.Node("Reshape", [Linear(x, $"{name}.q"), HeadShape])], 1, Attr("perm", new long[] { 1, 2, 0, 3 }));
            var k = g.Node("Transpose", [g.Node("Reshape", [Linear(kv, $"{name}.k"), HeadShape])], 1, Attr("perm", new long[] { 1, 2, 3, 0 }));
            var v = g.Node("Transpose", [g.Node("Reshape", [Linear(kv, $"{name}.v"), HeadShape])], 1, Attr("perm", new long[] { 1, 2, 0, 3 }));
            var s = g.Node("Mul", [g.Node("MatMul", [q, k]), g.FloatScalar($"scale{n++}", (float)(1.0 / Math.Sqrt(m.Spec.Width / m.Heads)))]);
            if (padCond is not null) s = g.Node("Where", [padCond, Neg, s]);
            if (causalCond is not null) s = g.Node("Where", [causalCond, Neg, s]);
            var mixed = g.Node("MatMul", [g.Node("Softmax", [s], 1, Attr("axis", -1L)), v]);
            var merged = g.Node("Reshape", [g.Node("Transpose", [mixed], 1, Attr("perm", new long[] { 2, 0, 1, 3 })), g.Int64s($"merge{n++}", 0, 0, -1)]);
            return Linear(merged, $"{name}.o");
        }

        string Layer(string x, string name, string? selfPad, string? causal, string? memory, string? memoryPad)
        {
            var nx = Norm(x, $"{name}.n1");
            var h = g.Node("Add", [x, Attention(nx, nx, $"{name}.self", selfPad, causal)]);
            if (memory is not null) h = g.Node("Add", [h, Attention(Norm(h, $"{name}.n2"), memory, $"{name}.cross", memoryPad, null)]);
            var ff = Linear(g.Node("Relu", [Linear(Norm(h, $"{name}.n3"), $"{name}.ff1")]), $"{name}.ff2");
            return g.Node("Add", [h, ff]);
        }

        string PadCond(string src) =>   // [B, 1, 1, S], true at padding
            g.Node("Unsqueeze", [g.Node("Transpose", [g.Node("Equal", [src, g.Int64s($"pad{n++}", NmtVocabulary.Pad)])], 1, Attr("perm", new long[] { 1, 0 })), g.Int64s($"axes12_{n++}", 1, 2)]);

        string Embed(string ids, string table)
        {
            var length = g.Node("Slice", [g.Node("Shape", [ids]), g.Int64s($"s0_{n++}", 0), g.Int64s($"s1_{n++}", 1)]);
            var pos = g.Node("Unsqueeze", [g.Node("Slice", [g.Weight($"positions{n++}", m.positions), g.Int64s($"z{n++}", 0), length, g.Int64s($"a{n++}", 0)]), g.Int64s($"ax1_{n++}", 1)]);
            return g.Node("Add", [g.Node("Mul", [g.Node("Gather", [W(table), ids], 1, Attr("axis", 0L)), g.FloatScalar($"sqrtw{n++}", (float)Math.Sqrt(m.Spec.Width))]), pos]);
        }

        public string Encoder(string src)
        {
            var pad = PadCond(src);
            var h = Embed(src, "srcEmbed.weight");
            for (int l = 0; l < m.Spec.Layers; l++) h = Layer(h, $"encoder.{l}", pad, null, null, null);
            return Norm(h, "encNorm");
        }

        public string Decoder(string src, string memory, string tgt)
        {
            var pad = PadCond(src);
            var t = g.Node("Gather", [g.Node("Shape", [tgt]), g.Int64Scalar($"i0_{n++}", 0)], 1, Attr("axis", 0L));
            var r = g.Node("Range", [g.Int64Scalar($"r0_{n++}", 0), t, g.Int64Scalar($"r1_{n++}", 1)]);
            var causal = g.Node("Less", [g.Node("Unsqueeze", [r, g.Int64s($"u1_{n++}", 1)]), g.Node("Unsqueeze", [r, g.Int64s($"u0_{n++}", 0)])]);
            var h = Embed(tgt, "tgtEmbed.weight");
            for (int l = 0; l < m.Spec.Layers; l++) h = Layer(h, $"decoder.{l}", null, causal, memory, pad);
            return Linear(Norm(h, "decNorm"), "output");
        }
    }

    /// <summary>Scoring graph: src [S, B], tgt_in [T, B] → logits [T, B, V].</summary>
    public static ModelProto Scoring(Seq2SeqTransformer m, IReadOnlyDictionary<string, string> metadata)
    {
        var g = new OnnxGraph("nmt_transformer_scoring"); var b = new Builder(m, g);
        var src = g.Input("src", DataType.Int64, "src_len", "batch");
        var tgt = g.Input("tgt_in", DataType.Int64, "tgt_len", "batch");
        g.Output(b.Decoder(src, b.Encoder(src), tgt), "logits", DataType.Float, "tgt_len", "batch", (long)m.Vocab);
        return g.ToModel(metadata, $"Transformer encoder–decoder {m.Spec.Name} scoring graph (teacher forcing)");
    }

    /// <summary>Encoder graph: src [S, B] → memory [S, B, W].</summary>
    public static ModelProto EncoderGraph(Seq2SeqTransformer m, IReadOnlyDictionary<string, string> metadata)
    {
        var g = new OnnxGraph("nmt_transformer_encoder"); var b = new Builder(m, g);
        var src = g.Input("src", DataType.Int64, "src_len", "batch");
        g.Output(b.Encoder(src), "memory", DataType.Float, "src_len", "batch", (long)m.Spec.Width);
        return g.ToModel(metadata, $"Transformer encoder–decoder {m.Spec.Name} encoder");
    }

    /// <summary>Decoder step: memory [S, B, W], src [S, B], prefix [t, B] → logits of the last position [B, V].</summary>
    public static ModelProto Step(Seq2SeqTransformer m, IReadOnlyDictionary<string, string> metadata)
    {
        var g = new OnnxGraph("nmt_transformer_step"); var b = new Builder(m, g);
        var memory = g.Input("memory", DataType.Float, "src_len", "batch", (long)m.Spec.Width);
        var src = g.Input("src", DataType.Int64, "src_len", "batch");
        var prefix = g.Input("prefix", DataType.Int64, "prefix_len", "batch");
        var logits = b.Decoder(src, memory, prefix);
        g.Output(g.Node("Gather", [logits, g.Int64Scalar("last", -1)], 1, Attr("axis", 0L)), "logits", DataType.Float, "batch", (long)m.Vocab);
        return g.ToModel(metadata, $"Transformer encoder–decoder {m.Spec.Name} decoder step");
    }
}
