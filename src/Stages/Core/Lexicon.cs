namespace Lab.Stages.Core;

/// <summary>
/// An ordered list of units (words, characters, subword pieces): a unit's id is its position, a unit not in it reads as
/// <paramref name="UnknownId"/>; its SHA-256 names it in model metadata. The base of each domain's vocabulary.
/// </summary>
/// <param name="Units">The units in id order.</param>
/// <param name="UnknownId">The id of a unit not in the list.</param>
public abstract record Lexicon(IReadOnlyList<string> Units, int UnknownId)
{
    readonly Dictionary<string, int> index = Index(Units);

    // a unit listed twice keeps its first id (a vocabulary read from altered metadata then fails its hash check, not here)
    static Dictionary<string, int> Index(IReadOnlyList<string> units)
    {
        var index = new Dictionary<string, int>(units.Count, StringComparer.Ordinal);
        for (int i = 0; i < units.Count; i++) index.TryAdd(units[i], i);
        return index;
    }

    /// <summary>Number of ids.</summary>
    public int Size => Units.Count;

    /// <summary>SHA-256 of the units joined by newlines.</summary>
    public string Hash => Hashing.Sha256(string.Join('\n', Units));

    /// <summary>Id of a unit, <see cref="UnknownId"/> when absent.</summary>
    public int Id(string unit) => index.TryGetValue(unit, out var id) ? id : UnknownId;

    /// <summary>Equal when the units are equal, in order (the id index is derived from them, not part of the value).</summary>
    public virtual bool Equals(Lexicon? other)
        => other is not null && other.GetType() == GetType() && UnknownId == other.UnknownId && Units.SequenceEqual(other.Units, StringComparer.Ordinal);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(UnknownId, Size, Size > 0 ? Units[0] : "");

    /// <summary>The distinct units seen at least <paramref name="minCount"/> times, most frequent first (ties in ordinal order).</summary>
    public static IEnumerable<string> ByFrequency(IEnumerable<string> units, long minCount = 1)
    {
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var u in units) counts[u] = counts.GetValueOrDefault(u) + 1;
        return counts.Where(kv => kv.Value >= minCount).OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => kv.Key);
    }
}
