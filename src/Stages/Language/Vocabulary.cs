namespace Lab.Stages.Language;

/// <summary>
/// A fixed vocabulary of units (words or characters): id 0 is &lt;unk&gt;, id 1 is &lt;eos&gt; (end of example), then
/// the most frequent units of the full training split (ties in ordinal order). Fixed once, so losses are comparable
/// across shard sizes.
/// </summary>
public sealed record Vocabulary(IReadOnlyList<string> Words)
{
    /// <summary>Unknown-word id.</summary>
    public const int Unk = 0;
    /// <summary>End-of-example id.</summary>
    public const int Eos = 1;

    readonly Dictionary<string, int> index = Words.Select((w, i) => (w, i)).ToDictionary(p => p.w, p => p.i, StringComparer.Ordinal);

    /// <summary>Number of ids.</summary>
    public int Size => Words.Count;

    /// <summary>SHA-256 of the words joined by newlines.</summary>
    public string Hash => Hashing.Sha256(string.Join('\n', Words));

    /// <summary>Id of a token, &lt;unk&gt; when absent.</summary>
    public int Id(string token) => index.TryGetValue(token, out var id) ? id : Unk;

    /// <summary>Top-(size−2) units of the examples that occur at least <paramref name="minCount"/> times, plus the two
    /// special ids (a rarer unit reads as &lt;unk&gt;).</summary>
    public static Vocabulary Build(IEnumerable<string[]> examples, int size, int minCount = 1)
    {
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var ex in examples)
            foreach (var t in ex) counts[t] = counts.GetValueOrDefault(t) + 1;
        var words = counts.Where(kv => kv.Value >= minCount).OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal)
            .Take(Math.Max(0, size - 2)).Select(kv => kv.Key);
        return new Vocabulary(new[] { "<unk>", "<eos>" }.Concat(words).ToArray());
    }
}
