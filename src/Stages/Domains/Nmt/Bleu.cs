using System.Text.RegularExpressions;

namespace Lab.Stages.Domains.Nmt;

/// <summary>
/// Corpus BLEU as sacreBLEU computes it by default: the "13a" tokenisation (mteval-v13a), n-grams up to 4, clipped
/// counts summed over the corpus, brevity penalty, and sacreBLEU's default "exp" smoothing of zero n-gram counts.
/// Score in 0–100.
/// </summary>
public static partial class Bleu
{
    [GeneratedRegex(@"([\{-\~\[-\` -\&\(-\+\:-\@\/])")] private static partial Regex Punct();
    [GeneratedRegex(@"([^0-9])([\.,])")] private static partial Regex PeriodCommaAfter();
    [GeneratedRegex(@"([\.,])([^0-9])")] private static partial Regex PeriodCommaBefore();
    [GeneratedRegex(@"([0-9])(-)")] private static partial Regex Dash();
    [GeneratedRegex(@"\s+")] private static partial Regex Spaces();

    /// <summary>sacreBLEU's 13a tokenisation of one line.</summary>
    public static string[] Tokenize13a(string line)
    {
        line = line.Replace("<skipped>", "").Replace("-\n", "").Replace("\n", " ");
        if (line.Contains('&')) line = line.Replace("&quot;", "\"").Replace("&amp;", "&").Replace("&lt;", "<").Replace("&gt;", ">");
        line = $" {line} ";
        line = Punct().Replace(line, " $1 ");
        line = PeriodCommaAfter().Replace(line, "$1 $2 ");
        line = PeriodCommaBefore().Replace(line, " $1 $2");
        line = Dash().Replace(line, "$1 $2 ");
        return Spaces().Split(line.Trim()).Where(t => t.Length > 0).ToArray();
    }

    /// <summary>Corpus BLEU of hypotheses against one reference each.</summary>
    public static double Corpus(IReadOnlyList<string> hypotheses, IReadOnlyList<string> references)
    {
        if (hypotheses.Count != references.Count) throw new ArgumentException("one reference per hypothesis");
        var correct = new long[4]; var total = new long[4]; long hypLen = 0, refLen = 0;
        for (int i = 0; i < hypotheses.Count; i++)
        {
            var h = Tokenize13a(hypotheses[i]); var r = Tokenize13a(references[i]);
            hypLen += h.Length; refLen += r.Length;
            for (int n = 1; n <= 4; n++)
            {
                var rc = NGrams(r, n);
                foreach (var (g, c) in NGrams(h, n)) correct[n - 1] += Math.Min(c, rc.GetValueOrDefault(g));
                total[n - 1] += Math.Max(0, h.Length - n + 1);
            }
        }
        if (hypLen == 0) return 0;
        double smooth = 1, logSum = 0;
        for (int n = 0; n < 4; n++)
        {
            if (total[n] == 0) return 0;
            double p;
            if (correct[n] == 0) { smooth *= 2; p = 1.0 / (smooth * total[n]); }
            else p = (double)correct[n] / total[n];
            logSum += Math.Log(p);
        }
        double bp = hypLen < refLen ? Math.Exp(1 - (double)refLen / hypLen) : 1;
        return 100 * bp * Math.Exp(logSum / 4);
    }

    static Dictionary<string, int> NGrams(string[] tokens, int n)
    {
        var d = new Dictionary<string, int>();
        for (int i = 0; i + n <= tokens.Length; i++)
        {
            var g = string.Join(' ', tokens, i, n);
            d[g] = d.GetValueOrDefault(g) + 1;
        }
        return d;
    }
}
