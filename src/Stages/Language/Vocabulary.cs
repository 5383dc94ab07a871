namespace Lab.Stages.Language;

/// <summary>
/// A fixed vocabulary of units (words or characters): id 0 is &lt;unk&gt;, id 1 is &lt;eos&gt; (end of example), then
/// the most frequent units of the full training split (ties in ordinal order). Fixed once, so losses are comparable
/// across shard sizes.
/// </summary>
public sealed record Vocabulary : Lexicon
{
    /// <summary>A vocabulary of these units, in id order.</summary>
    public Vocabulary(IReadOnlyList<string> words) : base(words, Unk) { }

    /// <summary>The units in id order.</summary>
    public IReadOnlyList<string> Words => Units;

    /// <summary>Unknown-word id.</summary>
    public const int Unk = 0;
    /// <summary>End-of-example id.</summary>
    public const int Eos = 1;

    /// <summary>Top-(size−2) units of the examples that occur at least <paramref name="minCount"/> times, plus the two
    /// special ids (a rarer unit reads as &lt;unk&gt;).</summary>
    public static Vocabulary Build(IEnumerable<string[]> examples, int size, int minCount = 1)
        => new(new[] { "<unk>", "<eos>" }.Concat(ByFrequency(examples.SelectMany(e => e), minCount).Take(Math.Max(0, size - 2))).ToArray());
}
