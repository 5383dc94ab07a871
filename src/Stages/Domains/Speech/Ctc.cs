namespace Lab.Stages.Domains.Speech;

/// <summary>Connectionist temporal classification on the host (Graves et al. 2006): the negative log-likelihood of a
/// label sequence under per-step log-probabilities, and greedy (best-path) decoding. Blank is <see cref="CharVocab.Blank"/>.</summary>
public static class Ctc
{
    /// <summary>Whether any alignment exists: the steps cover the labels plus a blank between each repeated pair.</summary>
    public static bool Feasible(int steps, IReadOnlyList<int> labels)
    {
        int repeats = 0;
        for (int i = 1; i < labels.Count; i++) if (labels[i] == labels[i - 1]) repeats++;
        return steps >= labels.Count + repeats;
    }

    /// <summary>−log p(labels | x) from log-probabilities laid out [steps, classes] (row <c>t</c> at
    /// <c>logProbs[t * classes ..]</c>); +∞ when no alignment exists.</summary>
    public static double Loss(ReadOnlySpan<float> logProbs, int steps, int classes, IReadOnlyList<int> labels)
    {
        int s = 2 * labels.Count + 1;
        int Label(int i) => i % 2 == 0 ? CharVocab.Blank : labels[i / 2];
        var alpha = new double[s]; var next = new double[s];
        Array.Fill(alpha, double.NegativeInfinity);
        if (steps == 0) return labels.Count == 0 ? 0 : double.PositiveInfinity;
        alpha[0] = logProbs[Label(0)];
        if (s > 1) alpha[1] = logProbs[Label(1)];
        for (int t = 1; t < steps; t++)
        {
            var row = logProbs.Slice(t * classes, classes);
            for (int i = 0; i < s; i++)
            {
                double a = alpha[i];
                if (i >= 1) a = LogAdd(a, alpha[i - 1]);
                if (i >= 2 && Label(i) != CharVocab.Blank && Label(i) != Label(i - 2)) a = LogAdd(a, alpha[i - 2]);
                next[i] = a + row[Label(i)];
            }
            (alpha, next) = (next, alpha);
        }
        double end = s > 1 ? LogAdd(alpha[s - 1], alpha[s - 2]) : alpha[0];
        return -end;
    }

    static double LogAdd(double a, double b)
    {
        if (double.IsNegativeInfinity(a)) return b;
        if (double.IsNegativeInfinity(b)) return a;
        return a > b ? a + Math.Log(1 + Math.Exp(b - a)) : b + Math.Log(1 + Math.Exp(a - b));
    }

    /// <summary>Best path: the arg-max class of each step, repeats merged, blanks dropped.</summary>
    public static List<int> Greedy(ReadOnlySpan<float> logProbs, int steps, int classes)
    {
        var result = new List<int>();
        int previous = -1;
        for (int t = 0; t < steps; t++)
        {
            var row = logProbs.Slice(t * classes, classes);
            int best = 0;
            for (int k = 1; k < classes; k++) if (row[k] > row[best]) best = k;
            if (best != previous && best != CharVocab.Blank) result.Add(best);
            previous = best;
        }
        return result;
    }
}
