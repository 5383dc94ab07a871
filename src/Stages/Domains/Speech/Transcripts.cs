using System.Text;
using System.Text.RegularExpressions;

namespace Lab.Stages.Domains.Speech;

/// <summary>Text normalisation for recognition targets and the sentence picker of the synthesised corpus.</summary>
public static partial class Transcripts
{
    /// <summary>Lower case, curly quotes made straight, white space collapsed to single spaces, trimmed. Every other
    /// character is kept: a real corpus's alphabet is whatever its training transcripts use.</summary>
    public static string Normalise(string text)
    {
        var sb = new StringBuilder(text.Length);
        bool space = false;
        foreach (var c0 in text.ToLowerInvariant())
        {
            var c = c0 is '\u2019' or '\u2018' ? '\'' : c0;
            if (char.IsWhiteSpace(c)) { space = sb.Length > 0; continue; }
            if (space) { sb.Append(' '); space = false; }
            sb.Append(c);
        }
        return sb.ToString();
    }

    [GeneratedRegex(@"(?<=[.!?;:])\s+|\n\s*\n")]
    private static partial Regex SentenceBreak();

    [GeneratedRegex(@"[,""()\u201c\u201d_*\-\u2014]+")]
    private static partial Regex SoftPunctuation();

    [GeneratedRegex(@"^[a-z]+('[a-z]+)?( [a-z]+('[a-z]+)?)*$")]
    private static partial Regex Speakable();

    /// <summary>
    /// Distinct short sentences of a text that a synthesiser reads exactly as written: split at . ! ? ; : and blank
    /// lines, commas, quotes, dashes and brackets dropped, normalised, and kept only when what is left is words of a–z
    /// (with at most one inner apostrophe each; no digits, abbreviations or other symbols, which synthesisers expand in
    /// ways the transcript would not show) and the word count is within [minWords, maxWords]. In order of first appearance.
    /// </summary>
    public static List<string> Sentences(string text, int minWords, int maxWords)
    {
        var seen = new HashSet<string>();
        var result = new List<string>();
        foreach (var raw in SentenceBreak().Split(text))
        {
            var s = Normalise(SoftPunctuation().Replace(raw, " ")).TrimEnd('.', '!', '?', ';', ':').Trim();
            if (s.Length == 0 || !Speakable().IsMatch(s)) continue;
            int words = s.Count(c => c == ' ') + 1;
            if (words < minWords || words > maxWords) continue;
            if (seen.Add(s)) result.Add(s);
        }
        return result;
    }
}
