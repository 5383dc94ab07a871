using Lab.Stages.Export.Onnx;
using static Lab.Stages.Export.OnnxGraph;
using DataType = Lab.Stages.Export.Onnx.TensorProto.Types.DataType;

namespace Lab.Stages.Domains.Nmt;

/// <summary>
/// Writes a <see cref="Seq2SeqLstm"/> as three ONNX graphs (opset 17): the scoring graph (source + target prefix →
/// logits, teacher forcing; the learning-curve metric), the encoder (source → states and final LSTM state) and the
/// decoder step (one target token + state → logits and the next state) that greedy decoding loops over. LSTM gates are
/// reordered as for the language model; attention is MatMul, Where (padding mask), Softmax, MatMul.
/// </summary>
public static class NmtOnnx
{
    sealed class Weights(Seq2SeqLstm m, OnnxGraph g)
    {
        readonly Dictionary<string, TorchSharp.Modules.Parameter> p = m.named_parameters().ToDictionary(kv => kv.name, kv => kv.parameter);
        public string W(string name) => g.Weight(name, p[name]);
        public string T(string name) { using var t = p[name].t(); return g.Weight(name + "_t", t); }
        public (string W, string R, string B) Lstm(string module, int layer)
        {
            using var w = RecurrentGates.Lstm(p[$"{module}.weight_ih_l{layer}"]).unsqueeze(0);
            using var r = RecurrentGates.Lstm(p[$"{module}.weight_hh_l{layer}"]).unsqueeze(0);
            using var b = cat([RecurrentGates.Lstm(p[$"{module}.bias_ih_l{layer}"]), RecurrentGates.Lstm(p[$"{module}.bias_hh_l{layer}"])], 0).unsqueeze(0);
            return (g.Weight($"{module}.W{layer}", w), g.Weight($"{module}.R{layer}", r), g.Weight($"{module}.B{layer}", b));
        }
    }

    static (string Enc, string[] H, string[] C) Encoder(OnnxGraph g, Weights w, Seq2SeqLstm m, string src)
    {
        var x = g.Node("Gather", [w.W("srcEmbed.weight"), src], 1, Attr("axis", 0L));
        var axes = g.Int64s("enc_axes1", 1);
        var hs = new string[m.Spec.Layers]; var cs = new string[m.Spec.Layers];
        for (int l = 0; l < m.Spec.Layers; l++)
        {
            var (wi, ri, bi) = w.Lstm("encoder", l);
            var o = g.NodeOutputs("LSTM", [x, wi, ri, bi], 3, Attr("hidden_size", (long)m.Spec.Width));
            x = g.Node("Squeeze", [o[0], axes]); hs[l] = o[1]; cs[l] = o[2];
        }
        return (x, hs, cs);
    }

    static (string LogitsBTV, string[] H, string[] C) Decoder(OnnxGraph g, Weights w, Seq2SeqLstm m, string src, string enc, string tgt, string[] h0, string[] c0)
    {
        var x = g.Node("Gather", [w.W("tgtEmbed.weight"), tgt], 1, Attr("axis", 0L));
        var axes = g.Int64s("dec_axes1", 1);
        var hs = new string[m.Spec.Layers]; var cs = new string[m.Spec.Layers];
        for (int l = 0; l < m.Spec.Layers; l++)
        {
            var (wi, ri, bi) = w.Lstm("decoder", l);
            var o = g.NodeOutputs("LSTM", [x, wi, ri, bi, "", h0[l], c0[l]], 3, Attr("hidden_size", (long)m.Spec.Width));
            x = g.Node("Squeeze", [o[0], axes]); hs[l] = o[1]; cs[l] = o[2];
        }
        var encB = g.Node("Transpose", [enc], 1, Attr("perm", new long[] { 1, 0, 2 }));
        var encBT = g.Node("Transpose", [enc], 1, Attr("perm", new long[] { 1, 2, 0 }));
        var decB = g.Node("Transpose", [x], 1, Attr("perm", new long[] { 1, 0, 2 }));
        var scores = g.Node("MatMul", [decB, encBT]);
        var pad = g.Node("Unsqueeze", [g.Node("Transpose", [g.Node("Equal", [src, g.Int64s("pad_id", NmtVocabulary.Pad)])], 1, Attr("perm", new long[] { 1, 0 })), axes]);
        using var neg = tensor(new[] { -1e9f });
        var masked = g.Node("Where", [pad, g.Weight("neg_inf", neg), scores]);
        var weights = g.Node("Softmax", [masked], 1, Attr("axis", -1L));
        var context = g.Node("MatMul", [weights, encB]);
        var joined = g.Node("Concat", [decB, context], 1, Attr("axis", 2L));
        var mixed = g.Node("Tanh", [g.Node("Add", [g.Node("MatMul", [joined, w.T("combine.weight")]), w.W("combine.bias")])]);
        var logits = g.Node("Add", [g.Node("MatMul", [mixed, w.T("output.weight")]), w.W("output.bias")]);
        return (logits, hs, cs);
    }

    /// <summary>Scoring graph: src int64 [S, B] (left-padded), tgt_in int64 [T, B] → logits float [T, B, V].</summary>
    public static ModelProto Scoring(Seq2SeqLstm m, IReadOnlyDictionary<string, string> metadata)
    {
        var g = new OnnxGraph("nmt_scoring"); var w = new Weights(m, g);
        var src = g.Input("src", DataType.Int64, "src_len", "batch");
        var tgt = g.Input("tgt_in", DataType.Int64, "tgt_len", "batch");
        var (enc, h, c) = Encoder(g, w, m, src);
        var (logits, _, _) = Decoder(g, w, m, src, enc, tgt, h, c);
        g.Output(g.Node("Transpose", [logits], 1, Attr("perm", new long[] { 1, 0, 2 })), "logits", DataType.Float, "tgt_len", "batch", (long)m.Vocab);
        return g.ToModel(metadata, $"LSTM encoder–decoder {m.Spec.Name} scoring graph (teacher forcing)");
    }

    /// <summary>Encoder graph: src int64 [S, B] → enc float [S, B, W], h and c float [layers, B, W].</summary>
    public static ModelProto EncoderGraph(Seq2SeqLstm m, IReadOnlyDictionary<string, string> metadata)
    {
        var g = new OnnxGraph("nmt_encoder"); var w = new Weights(m, g);
        var src = g.Input("src", DataType.Int64, "src_len", "batch");
        var (enc, h, c) = Encoder(g, w, m, src);
        g.Output(enc, "enc", DataType.Float, "src_len", "batch", (long)m.Spec.Width);
        g.Output(h.Length == 1 ? h[0] : g.Node("Concat", h, 1, Attr("axis", 0L)), "h", DataType.Float, (long)m.Spec.Layers, "batch", (long)m.Spec.Width);
        g.Output(c.Length == 1 ? c[0] : g.Node("Concat", c, 1, Attr("axis", 0L)), "c", DataType.Float, (long)m.Spec.Layers, "batch", (long)m.Spec.Width);
        return g.ToModel(metadata, $"LSTM encoder–decoder {m.Spec.Name} encoder");
    }

    /// <summary>Decoder step graph: enc [S, B, W], src [S, B], token int64 [1, B], h, c [layers, B, W] → logits [B, V], h_out, c_out.</summary>
    public static ModelProto Step(Seq2SeqLstm m, IReadOnlyDictionary<string, string> metadata)
    {
        var g = new OnnxGraph("nmt_step"); var w = new Weights(m, g);
        var enc = g.Input("enc", DataType.Float, "src_len", "batch", (long)m.Spec.Width);
        var src = g.Input("src", DataType.Int64, "src_len", "batch");
        var token = g.Input("token", DataType.Int64, 1L, "batch");
        var h = g.Input("h", DataType.Float, (long)m.Spec.Layers, "batch", (long)m.Spec.Width);
        var c = g.Input("c", DataType.Float, (long)m.Spec.Layers, "batch", (long)m.Spec.Width);
        var axis0 = m.Spec.Layers == 1 ? "" : g.Int64s("axis0", 0);
        string Layer(string t, int l) => m.Spec.Layers == 1 ? t : g.Node("Slice", [t, g.Int64s($"start{l}_{t}", l), g.Int64s($"end{l}_{t}", l + 1), axis0]);
        var hs = Enumerable.Range(0, m.Spec.Layers).Select(l => Layer(h, l)).ToArray();
        var cs = Enumerable.Range(0, m.Spec.Layers).Select(l => Layer(c, l)).ToArray();
        var (logits, ho, co) = Decoder(g, w, m, src, enc, token, hs, cs);
        g.Output(g.Node("Squeeze", [logits, g.Int64s("axis1", 1)]), "logits", DataType.Float, "batch", (long)m.Vocab);
        g.Output(ho.Length == 1 ? ho[0] : g.Node("Concat", ho, 1, Attr("axis", 0L)), "h_out", DataType.Float, (long)m.Spec.Layers, "batch", (long)m.Spec.Width);
        g.Output(co.Length == 1 ? co[0] : g.Node("Concat", co, 1, Attr("axis", 0L)), "c_out", DataType.Float, (long)m.Spec.Layers, "batch", (long)m.Spec.Width);
        return g.ToModel(metadata, $"LSTM encoder–decoder {m.Spec.Name} decoder step");
    }
}
