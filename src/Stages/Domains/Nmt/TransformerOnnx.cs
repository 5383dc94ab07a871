using Lab.Stages.Export.Onnx;
using static Lab.Stages.Export.OnnxGraph;
using DataType = Lab.Stages.Export.Onnx.TensorProto.Types.DataType;

namespace Lab.Stages.Domains.Nmt;

/// <summary>
/// Writes a <see cref="Seq2SeqTransformer"/> as ONNX (opset 17): Gather + scaled positions, MatMul/Add projections,
/// Reshape/Transpose into heads, MatMul, Where (padding and causal masks), Softmax, LayerNormalization, Relu. Three
/// graphs as for the LSTM: scoring (src, tgt_in → logits [T, B, V]), encoder (src → memory [S, B, W] and each decoder
/// layer's cross-attention keys and values) and the decoder step with a key/value cache (one token in, its logits and
/// the caches with its position appended out: a step costs one position, not the whole prefix).
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
        string HeadShape => heads ??= g.Int64s("head_shape", 0, 0, HeadCount, HeadDim);

        /// <summary>Attention heads h and their size d.</summary>
        public long HeadCount => m.Heads;
        /// <inheritdoc cref="HeadCount"/>
        public long HeadDim => m.Spec.Width / m.Heads;

        string Heads(string x, string name, long[] perm) => g.Node("Transpose", [g.Node("Reshape", [Linear(x, name), HeadShape])], 1, Attr("perm", perm));
        /// <summary>Queries and values as [B, h, T, d]; keys as [B, h, d, T] (ready for the product).</summary>
        string Q(string x, string name) => Heads(x, $"{name}.q", [1, 2, 0, 3]);
        public string K(string kv, string name) => Heads(kv, $"{name}.k", [1, 2, 3, 0]);
        public string V(string kv, string name) => Heads(kv, $"{name}.v", [1, 2, 0, 3]);

        /// <summary>Scaled dot-product attention on heads: q [B, h, T, d] times k [B, h, d, P], -1e9 where a condition
        /// holds, softmax over P, times v [B, h, P, d] → [B, h, T, d]. The scoring graph and the cached step share it.</summary>
        string Attend(string q, string k, string v, string? padCond, string? causalCond)
        {
            var s = g.Node("Mul", [g.Node("MatMul", [q, k]), g.FloatScalar($"scale{n++}", (float)(1.0 / Math.Sqrt(HeadDim)))]);
            if (padCond is not null) s = g.Node("Where", [padCond, Neg, s]);
            if (causalCond is not null) s = g.Node("Where", [causalCond, Neg, s]);
            return g.Node("MatMul", [g.Node("Softmax", [s], 1, Attr("axis", -1L)), v]);
        }

        string Attention(string x, string kv, string name, string? padCond, string? causalCond)
        {
            var mixed = Attend(Q(x, name), K(kv, name), V(kv, name), padCond, causalCond);
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

        /// <summary>A linear layer on a [B, in] matrix as one Gemm (bias fused; the weight stored transposed, as the
        /// scoring graph's MatMul takes it).</summary>
        string Gemm(string x, string name) => g.Node("Gemm", [x, T($"{name}.weight"), W($"{name}.bias")]);

        string Shape(long a, long b, long c) => g.Int64s($"shape{n++}", 0, a, b, c);

        /// <summary>Attention of one query per row: x [B, W] against keys [B, h, d, P] and values [B, h, P, d]; the query's
        /// heads and the mixed values need reshapes only (no transposes) because each row holds a single position.</summary>
        string OneQuery(string x, string k, string v, string name, string? padCond)
        {
            var q = g.Node("Reshape", [Gemm(x, $"{name}.q"), Shape(HeadCount, 1, HeadDim)]);                  // [B, h, 1, d]
            var mixed = Attend(q, k, v, padCond, null);                                                        // [B, h, 1, d]
            return Gemm(g.Node("Reshape", [mixed, g.Int64s($"merge{n++}", 0, -1)]), $"{name}.o");
        }

        /// <summary>One decoder step with key/value caches, on [B, W] rows: the token at <paramref name="position"/> attends
        /// to the cached keys and values of the earlier positions plus its own (returned, appended, as the new caches), and to
        /// the encoder's cross-attention keys and values computed once per sentence. Returns logits [B, V].</summary>
        public (string Logits, List<(string K, string V)> Present) CachedStep(string src, string token, string position,
            IReadOnlyList<(string K, string V)> past, IReadOnlyList<(string K, string V)> cross)
        {
            var pad = PadCond(src);
            var pos = g.Node("Slice", [g.Weight($"positions{n++}", m.positions), position,
                g.Node("Add", [position, g.Int64s($"one{n++}", 1)]), g.Int64s($"a{n++}", 0)]);                // [1, W]
            var ids = g.Node("Reshape", [token, g.Int64s($"flat{n++}", -1)]);                                   // [B]
            var h = g.Node("Add", [g.Node("Mul", [g.Node("Gather", [W("tgtEmbed.weight"), ids], 1, Attr("axis", 0L)),
                g.FloatScalar($"sqrtw{n++}", (float)Math.Sqrt(m.Spec.Width))]), pos]);                           // [B, W]
            var present = new List<(string, string)>();
            for (int l = 0; l < m.Spec.Layers; l++)
            {
                string name = $"decoder.{l}";
                var nx = Norm(h, $"{name}.n1");
                var k = g.Node("Concat", [past[l].K, g.Node("Reshape", [Gemm(nx, $"{name}.self.k"), Shape(HeadCount, HeadDim, 1)])], 1, Attr("axis", 3L));
                var v = g.Node("Concat", [past[l].V, g.Node("Reshape", [Gemm(nx, $"{name}.self.v"), Shape(HeadCount, 1, HeadDim)])], 1, Attr("axis", 2L));
                present.Add((k, v));
                h = g.Node("Add", [h, OneQuery(nx, k, v, $"{name}.self", null)]);
                h = g.Node("Add", [h, OneQuery(Norm(h, $"{name}.n2"), cross[l].K, cross[l].V, $"{name}.cross", pad)]);
                var ff = Gemm(g.Node("Relu", [Gemm(Norm(h, $"{name}.n3"), $"{name}.ff1")]), $"{name}.ff2");
                h = g.Node("Add", [h, ff]);
            }
            return (Gemm(Norm(h, "decNorm"), "output"), present);
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

    /// <summary>Encoder graph: src [S, B] → memory [S, B, W], and for each decoder layer l the cross-attention keys
    /// cross_k{l} [B, h, d, S] and values cross_v{l} [B, h, S, d] (computed once per sentence for the cached step).</summary>
    public static ModelProto EncoderGraph(Seq2SeqTransformer m, IReadOnlyDictionary<string, string> metadata)
    {
        var g = new OnnxGraph("nmt_transformer_encoder"); var b = new Builder(m, g);
        var src = g.Input("src", DataType.Int64, "src_len", "batch");
        var memory = b.Encoder(src);
        g.Output(memory, "memory", DataType.Float, "src_len", "batch", (long)m.Spec.Width);
        long h = b.HeadCount, d = b.HeadDim;
        for (int l = 0; l < m.Spec.Layers; l++)
        {
            g.Output(b.K(memory, $"decoder.{l}.cross"), $"cross_k{l}", DataType.Float, "batch", h, d, "src_len");
            g.Output(b.V(memory, $"decoder.{l}.cross"), $"cross_v{l}", DataType.Float, "batch", h, "src_len", d);
        }
        return g.ToModel(metadata, $"Transformer encoder–decoder {m.Spec.Name} encoder");
    }

    /// <summary>Decoder step with key/value caches: src [S, B] (for the padding mask), token [1, B], position [1] (0 for
    /// the first step), past_k{l} [B, h, d, P], past_v{l} [B, h, P, d], cross_k{l}, cross_v{l} (from the encoder graph)
    /// → logits [B, V] of the token's next position and present_k{l} / present_v{l} (the caches with this position
    /// appended; P = position). The first step passes caches with P = 0.</summary>
    public static ModelProto Step(Seq2SeqTransformer m, IReadOnlyDictionary<string, string> metadata)
    {
        var g = new OnnxGraph("nmt_transformer_step"); var b = new Builder(m, g);
        long h = b.HeadCount, d = b.HeadDim;
        var src = g.Input("src", DataType.Int64, "src_len", "batch");
        var token = g.Input("token", DataType.Int64, 1L, "batch");
        var position = g.Input("position", DataType.Int64, 1L);
        var past = Enumerable.Range(0, m.Spec.Layers).Select(l => (g.Input($"past_k{l}", DataType.Float, "batch", h, d, "past_len"),
            g.Input($"past_v{l}", DataType.Float, "batch", h, "past_len", d))).ToList();
        var cross = Enumerable.Range(0, m.Spec.Layers).Select(l => (g.Input($"cross_k{l}", DataType.Float, "batch", h, d, "src_len"),
            g.Input($"cross_v{l}", DataType.Float, "batch", h, "src_len", d))).ToList();
        var (logits, present) = b.CachedStep(src, token, position, past, cross);
        g.Output(logits, "logits", DataType.Float, "batch", (long)m.Vocab);
        for (int l = 0; l < present.Count; l++)
        {
            g.Output(present[l].K, $"present_k{l}", DataType.Float, "batch", h, d, "present_len");
            g.Output(present[l].V, $"present_v{l}", DataType.Float, "batch", h, "present_len", d);
        }
        return g.ToModel(metadata, $"Transformer encoder–decoder {m.Spec.Name} decoder step (key/value cache)");
    }
}
