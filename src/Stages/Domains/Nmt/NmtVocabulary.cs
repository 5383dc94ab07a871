namespace Lab.Stages.Domains.Nmt;

/// <summary>The shared subword vocabulary: 0 &lt;pad&gt;, 1 &lt;unk&gt;, 2 &lt;s&gt;, 3 &lt;/s&gt;, then the pieces of the
/// training split by frequency (ties in ordinal order).</summary>
public sealed record NmtVocabulary(IReadOnlyList<string> Pieces)
{
    /// <summary>Padding id (ignored by the loss and masked in attention).</summary>
    public const int Pad = 0;
    /// <summary>Unknown piece.</summary>
    public const int Unk = 1;
    /// <summary>Start of target.</summary>
    public const int Bos = 2;
    /// <summary>End of target.</summary>
    public const int Eos = 3;
    readonly Dictionary<string, int> index = Pieces.Select((p, i) => (p, i)).ToDictionary(x => x.p, x => x.i, StringComparer.Ordinal);

    /// <summary>Number of ids.</summary>
    public int Size => Pieces.Count;
    /// <summary>SHA-256 of the pieces joined by newlines.</summary>
    public string Hash => Hashing.Sha256(string.Join('\n', Pieces));
    /// <summary>Id of a piece.</summary>
    public int Id(string piece) => index.TryGetValue(piece, out var i) ? i : Unk;

    /// <summary>Specials plus every piece seen, most frequent first.</summary>
    public static NmtVocabulary Build(IEnumerable<string> pieces)
    {
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var p in pieces) counts[p] = counts.GetValueOrDefault(p) + 1;
        return new NmtVocabulary(new[] { "<pad>", "<unk>", "<s>", "</s>" }
            .Concat(counts.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => kv.Key)).ToArray());
    }
}
