using System.Text.RegularExpressions;

namespace Lab.Stages.Domains.Nmt;

/// <summary>
/// Byte-pair encoding (Sennrich et al. 2016) learned on the training split of both languages: words (letters, digits,
/// punctuation, case kept) start as characters with an end-of-word mark, and the most frequent adjacent pair is merged,
/// again and again (ties broken in ordinal order, so learning is deterministic). Pieces that do not end a word carry
/// "@@", so decoding joins them back.
/// </summary>
public sealed partial record Bpe(IReadOnlyList<(string Left, string Right)> Merges)
{
    /// <summary>Recorded in every model with the merges' hash.</summary>
    public const string Version = "bpe-words-punct-cased-v1";
    const string End = "</w>";

    [GeneratedRegex(@"\p{L}+(?:['’]\p{L}+)*|\p{N}+|[^\s\p{L}\p{N}]", RegexOptions.CultureInvariant)]
    private static partial Regex WordPattern();

    /// <summary>Words and punctuation of a sentence, in order.</summary>
    public static IEnumerable<string> Words(string text) => WordPattern().Matches(text).Select(m => m.Value);

    /// <summary>Learns up to <paramref name="merges"/> merges from word counts.</summary>
    public static Bpe Learn(IReadOnlyDictionary<string, long> wordCounts, int merges)
    {
        var words = wordCounts.OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => (Symbols: kv.Key.Select(c => c.ToString()).ToList(), Count: kv.Value)).ToArray();
        foreach (var w in words) w.Symbols[^1] += End;
        var pairs = new Dictionary<(string, string), long>();
        var where = new Dictionary<(string, string), HashSet<int>>();
        void Add(int i, int sign)
        {
            var s = words[i].Symbols;
            for (int j = 0; j + 1 < s.Count; j++)
            {
                var p = (s[j], s[j + 1]);
                pairs[p] = pairs.GetValueOrDefault(p) + sign * words[i].Count;
                if (sign > 0) { if (!where.TryGetValue(p, out var set)) where[p] = set = []; set.Add(i); }
            }
        }
        for (int i = 0; i < words.Length; i++) Add(i, +1);
        var learned = new List<(string, string)>();
        for (int m = 0; m < merges; m++)
        {
            (string, string) best = default; long bestCount = 1;
            foreach (var (p, c) in pairs)
                if (c > bestCount || (c == bestCount && bestCount > 1 && string.CompareOrdinal(p.Item1 + " " + p.Item2, best.Item1 + " " + best.Item2) < 0))
                    (best, bestCount) = (p, c);
            if (bestCount < 2) break;
            learned.Add(best);
            foreach (var i in where[best].ToArray())
            {
                Add(i, -1);
                var s = words[i].Symbols;
                for (int j = 0; j + 1 < s.Count; j++)
                    if (s[j] == best.Item1 && s[j + 1] == best.Item2) { s[j] += s[j + 1]; s.RemoveAt(j + 1); }
                Add(i, +1);
            }
            pairs.Remove(best);
        }
        return new Bpe(learned);
    }

    readonly Dictionary<(string, string), int> rank = Merges.Select((p, i) => (p, i)).ToDictionary(x => x.p, x => x.i);
    readonly Dictionary<string, string[]> cache = new();

    /// <summary>Subword pieces of one word: non-final pieces end in "@@".</summary>
    public string[] Encode(string word)
    {
        lock (cache)
            if (cache.TryGetValue(word, out var hit)) return hit;
        var s = word.Select(c => c.ToString()).ToList();
        s[^1] += End;
        while (s.Count > 1)
        {
            int at = -1, bestRank = int.MaxValue;
            for (int j = 0; j + 1 < s.Count; j++)
                if (rank.TryGetValue((s[j], s[j + 1]), out var r) && r < bestRank) (at, bestRank) = (j, r);
            if (at < 0) break;
            s[at] += s[at + 1]; s.RemoveAt(at + 1);
        }
        var pieces = s.Select(p => p.EndsWith(End) ? p[..^End.Length] : p + "@@").ToArray();
        lock (cache) cache[word] = pieces;
        return pieces;
    }

    /// <summary>Pieces of a sentence.</summary>
    public IEnumerable<string> EncodeSentence(string text) => Words(text).SelectMany(Encode);

    /// <summary>Words back from pieces: "@@" pieces join the next one; words are separated by single spaces.</summary>
    public static string Decode(IEnumerable<string> pieces) => string.Join(" ", pieces).Replace("@@ ", "").Replace("@@", "");
}
