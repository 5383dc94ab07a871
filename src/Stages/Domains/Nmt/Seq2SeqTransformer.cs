using TorchSharp.Modules;
using static TorchSharp.torch.nn;

namespace Lab.Stages.Domains.Nmt;

/// <summary>Multi-head attention on time-major inputs ([T, B, W]) with an optional key-padding condition and causal masking.</summary>
public sealed class Attention : Module
{
    internal readonly Linear q, k, v, o;
    internal readonly int heads;

    /// <summary>Width and heads (width divisible by heads).</summary>
    public Attention(int width, int heads) : base("Attention")
    {
        q = Linear(width, width); k = Linear(width, width); v = Linear(width, width); o = Linear(width, width);
        this.heads = heads;
        RegisterComponents();
    }

    /// <summary>Attention of query positions over key positions; padded keys [B, Tk] (true = pad) and, when causal,
    /// later positions get −1e9 before the softmax.</summary>
    public Tensor Forward(Tensor query, Tensor keys, Tensor? keyPad, bool causal)
    {
        using var scope = NewDisposeScope();
        long tq = query.shape[0], tk = keys.shape[0], b = query.shape[1], w = query.shape[2], d = w / heads;
        var qh = q.call(query).view(tq, b, heads, d).permute(1, 2, 0, 3);      // [B, h, Tq, d]
        var kh = k.call(keys).view(tk, b, heads, d).permute(1, 2, 3, 0);       // [B, h, d, Tk]
        var vh = v.call(keys).view(tk, b, heads, d).permute(1, 2, 0, 3);       // [B, h, Tk, d]
        var scores = ScalarOps.Mul(qh.matmul(kh), 1.0 / Math.Sqrt(d));
        if (keyPad is not null) scores = ScalarOps.MaskedFill(scores, keyPad.view(b, 1, 1, tk), -1e9);
        if (causal) scores = ScalarOps.MaskedFill(scores, ones(tq, tk, dtype: ScalarType.Bool, device: query.device).triu(1), -1e9);
        var mixed = functional.softmax(scores, -1).matmul(vh).permute(2, 0, 1, 3).reshape(tq, b, w);
        return o.call(mixed).MoveToOuterDisposeScope();
    }
}

/// <summary>A pre-norm Transformer layer: self-attention, optional cross-attention, feed-forward, each residual.</summary>
public sealed class TransformerLayer : Module
{
    internal readonly LayerNorm n1, n2, n3;
    internal readonly Attention self;
    internal readonly Attention? cross;
    internal readonly Linear ff1, ff2;
    readonly Dropout drop;

    /// <summary>Width, heads, feed-forward width, dropout; cross-attention for decoder layers.</summary>
    public TransformerLayer(int width, int heads, int ff, double dropout, bool decoder) : base("TransformerLayer")
    {
        n1 = LayerNorm(width); n2 = LayerNorm(width); n3 = LayerNorm(width);
        self = new Attention(width, heads);
        cross = decoder ? new Attention(width, heads) : null;
        ff1 = Linear(width, ff); ff2 = Linear(ff, width);
        drop = Dropout(dropout);
        RegisterComponents();
    }

    /// <summary>One layer; memory and its padding for decoder layers.</summary>
    public Tensor Forward(Tensor x, Tensor? selfPad, Tensor? memory, Tensor? memoryPad)
    {
        using var scope = NewDisposeScope();
        var nx = n1.call(x);
        var h = ScalarOps.Plus(x, drop.call(self.Forward(nx, nx, selfPad, causal: cross is not null)));
        if (cross is not null) h = ScalarOps.Plus(h, drop.call(cross.Forward(n2.call(h), memory!, memoryPad, causal: false)));
        h = ScalarOps.Plus(h, drop.call(ff2.call(functional.relu(ff1.call(n3.call(h))))));
        return h.MoveToOuterDisposeScope();
    }
}

/// <summary>
/// A small Transformer encoder–decoder (pre-norm, sinusoidal positions, width/4 feed-forward ×4, width/16 heads at
/// least 2): source keys that are padding are masked, the decoder is causal. Ids time-major [T, B]; logits [T, B, V].
/// </summary>
public sealed class Seq2SeqTransformer : Module<Tensor, Tensor, Tensor>
{
    /// <summary>The spec.</summary>
    public NmtModelSpec Spec { get; }
    /// <summary>Vocabulary size.</summary>
    public int Vocab { get; }
    /// <summary>Attention heads.</summary>
    public int Heads { get; }
    internal readonly Embedding srcEmbed, tgtEmbed;
    internal readonly ModuleList<TransformerLayer> encoder, decoder;
    internal readonly LayerNorm encNorm, decNorm;
    internal readonly Linear output;
    internal readonly Tensor positions;
    readonly Dropout drop;

    /// <summary>A freshly initialised model (seed torch first); positions up to maxLen + 2.</summary>
    public Seq2SeqTransformer(NmtModelSpec spec, int vocab, int maxLen) : base("Seq2SeqTransformer")
    {
        Spec = spec; Vocab = vocab;
        int w = spec.Width;
        Heads = Math.Max(2, w / 16);
        while (w % Heads != 0) Heads--;
        srcEmbed = Embedding(vocab, w); tgtEmbed = Embedding(vocab, w);
        encoder = ModuleList(Enumerable.Range(0, spec.Layers).Select(_ => new TransformerLayer(w, Heads, 4 * w, spec.Dropout, false)).ToArray());
        decoder = ModuleList(Enumerable.Range(0, spec.Layers).Select(_ => new TransformerLayer(w, Heads, 4 * w, spec.Dropout, true)).ToArray());
        encNorm = LayerNorm(w); decNorm = LayerNorm(w);
        output = Linear(w, vocab);
        drop = Dropout(spec.Dropout);
        int n = maxLen + 2;
        var table = new float[n * w];
        for (int p = 0; p < n; p++)
            for (int i = 0; i < w; i += 2)
            {
                double angle = p / Math.Pow(10000, (double)i / w);
                table[p * w + i] = (float)Math.Sin(angle);
                if (i + 1 < w) table[p * w + i + 1] = (float)Math.Cos(angle);
            }
        positions = tensor(table, [n, w]);
        RegisterComponents();
    }

    Tensor Embed(Embedding e, Tensor ids)
    {
        long t = ids.shape[0];
        return drop.call(ScalarOps.Plus(ScalarOps.Mul(e.call(ids), Math.Sqrt(Spec.Width)), positions.to(ids.device).narrow(0, 0, t).unsqueeze(1)));
    }

    /// <summary>The encoder's output memory [S, B, W].</summary>
    public Tensor Encode(Tensor src)
    {
        using var scope = NewDisposeScope();
        var pad = ScalarOps.Eq(src, NmtVocabulary.Pad).transpose(0, 1);   // [B, S]
        var h = Embed(srcEmbed, src);
        foreach (var layer in encoder) h = layer.Forward(h, pad, null, null);
        return encNorm.call(h).MoveToOuterDisposeScope();
    }

    /// <summary>Logits [T, B, V] of every target position given the memory.</summary>
    public Tensor Decode(Tensor src, Tensor memory, Tensor tgtIn)
    {
        using var scope = NewDisposeScope();
        var pad = ScalarOps.Eq(src, NmtVocabulary.Pad).transpose(0, 1);
        var h = Embed(tgtEmbed, tgtIn);
        foreach (var layer in decoder) h = layer.Forward(h, null, memory, pad);
        return output.call(decNorm.call(h)).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor src, Tensor tgtIn)
    {
        using var memory = Encode(src);
        return Decode(src, memory, tgtIn);
    }
}
