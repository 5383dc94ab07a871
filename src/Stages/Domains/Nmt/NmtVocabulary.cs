namespace Lab.Stages.Domains.Nmt;

/// <summary>The shared subword vocabulary: 0 &lt;pad&gt;, 1 &lt;unk&gt;, 2 &lt;s&gt;, 3 &lt;/s&gt;, then the pieces of the
/// training split by frequency (ties in ordinal order).</summary>
public sealed record NmtVocabulary : Lexicon
{
    /// <summary>A vocabulary of these pieces, in id order.</summary>
    public NmtVocabulary(IReadOnlyList<string> pieces) : base(pieces, Unk) { }

    /// <summary>The pieces in id order.</summary>
    public IReadOnlyList<string> Pieces => Units;

    /// <summary>Padding id (ignored by the loss and masked in attention).</summary>
    public const int Pad = 0;
    /// <summary>Unknown piece.</summary>
    public const int Unk = 1;
    /// <summary>Start of target.</summary>
    public const int Bos = 2;
    /// <summary>End of target.</summary>
    public const int Eos = 3;

    /// <summary>Specials plus every piece seen, most frequent first.</summary>
    public static NmtVocabulary Build(IEnumerable<string> pieces)
        => new(new[] { "<pad>", "<unk>", "<s>", "</s>" }.Concat(ByFrequency(pieces)).ToArray());
}
