using TorchSharp.Modules;
using static TorchSharp.torch.nn;

namespace Lab.Stages.Domains.Nmt;

/// <summary>
/// LSTM encoder–decoder with attention computed after the decoder LSTM (Luong et al. 2015, "general" scores without the
/// weight: dot products), so the scoring graph has no loop: encoder LSTM over the left-padded source, decoder LSTM over
/// the target prefix started from the encoder's final state, attention of every decoder state over the non-pad source
/// positions, tanh(W [state; context]), output layer. Token ids are time-major [T, B]; logits [T, B, V].
/// </summary>
public sealed class Seq2SeqLstm : Module<Tensor, Tensor, Tensor>
{
    /// <summary>The spec.</summary>
    public NmtModelSpec Spec { get; }
    /// <summary>Shared source/target vocabulary size.</summary>
    public int Vocab { get; }
    internal readonly Embedding srcEmbed, tgtEmbed;
    internal readonly LSTM encoder, decoder;
    internal readonly Linear combine, output;
    readonly Dropout drop;

    /// <summary>A freshly initialised model (seed torch first).</summary>
    public Seq2SeqLstm(NmtModelSpec spec, int vocab) : base("Seq2SeqLstm")
    {
        Spec = spec; Vocab = vocab;
        int w = spec.Width;
        srcEmbed = Embedding(vocab, w);
        tgtEmbed = Embedding(vocab, w);
        encoder = LSTM(w, w, spec.Layers, dropout: spec.Layers > 1 ? spec.Dropout : 0);
        decoder = LSTM(w, w, spec.Layers, dropout: spec.Layers > 1 ? spec.Dropout : 0);
        combine = Linear(2 * w, w);
        output = Linear(w, vocab);
        drop = Dropout(spec.Dropout);
        RegisterComponents();
    }

    /// <summary>Encoder states [S, B, W] and final (h, c) of every layer.</summary>
    public (Tensor States, Tensor H, Tensor C) Encode(Tensor src)
    {
        using var e = drop.call(srcEmbed.call(src));
        return encoder.call(e);
    }

    /// <summary>Logits [T, B, V] and the decoder's final (h, c), given the encoder's output.</summary>
    public (Tensor Logits, Tensor H, Tensor C) Decode(Tensor src, Tensor encStates, Tensor tgtIn, Tensor h0, Tensor c0)
    {
        using var scope = NewDisposeScope();
        var (dec, h, c) = decoder.call(drop.call(tgtEmbed.call(tgtIn)), (h0, c0));
        var encB = encStates.permute(1, 0, 2);                     // [B, S, W]
        var decB = dec.permute(1, 0, 2);                           // [B, T, W]
        var scores = decB.matmul(encB.transpose(1, 2));            // [B, T, S]
        var pad = ScalarOps.Eq(src, NmtVocabulary.Pad).transpose(0, 1).unsqueeze(1);   // [B, 1, S]
        scores = ScalarOps.MaskedFill(scores, pad, -1e9);
        var weights = functional.softmax(scores, -1);
        var context = weights.matmul(encB);                         // [B, T, W]
        var mixed = functional.tanh(combine.call(cat([decB, context], 2)));
        var logits = output.call(drop.call(mixed)).permute(1, 0, 2); // [T, B, V]
        return (logits.MoveToOuterDisposeScope(), h.MoveToOuterDisposeScope(), c.MoveToOuterDisposeScope());
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor src, Tensor tgtIn)
    {
        var (states, h, c) = Encode(src);
        using (states) using (h) using (c)
        {
            var (logits, h2, c2) = Decode(src, states, tgtIn, h, c);
            h2.Dispose(); c2.Dispose();
            return logits;
        }
    }
}
