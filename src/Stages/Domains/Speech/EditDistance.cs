namespace Lab.Stages.Domains.Speech;

/// <summary>Levenshtein distance and the character and word error rates built on it (errors / reference length).</summary>
public static class EditDistance
{
    /// <summary>Minimum insertions, deletions and substitutions turning a into b.</summary>
    public static int Of<T>(IReadOnlyList<T> a, IReadOnlyList<T> b) where T : IEquatable<T>
    {
        var prev = Enumerable.Range(0, b.Count + 1).ToArray();
        var cur = new int[b.Count + 1];
        for (int i = 1; i <= a.Count; i++)
        {
            cur[0] = i;
            for (int j = 1; j <= b.Count; j++)
                cur[j] = Math.Min(Math.Min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + (a[i - 1].Equals(b[j - 1]) ? 0 : 1));
            (prev, cur) = (cur, prev);
        }
        return prev[b.Count];
    }

    /// <summary>Corpus character error rate: total character edits over total reference characters.</summary>
    public static double Cer(IReadOnlyList<string> hypotheses, IReadOnlyList<string> references)
        => (double)hypotheses.Zip(references, (h, r) => Of(h.ToArray(), r.ToArray())).Sum() / Math.Max(1, references.Sum(r => r.Length));

    /// <summary>Corpus word error rate: total word edits over total reference words (words split on white space).</summary>
    public static double Wer(IReadOnlyList<string> hypotheses, IReadOnlyList<string> references)
    {
        static string[] W(string s) => s.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        return (double)hypotheses.Zip(references, (h, r) => Of(W(h), W(r))).Sum() / Math.Max(1, references.Sum(r => W(r).Length));
    }
}
