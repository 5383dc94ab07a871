using System.Text.RegularExpressions;
using Lab.Stages.Language;

namespace Lab.Stages.Domains.Lm;

/// <summary>
/// Word-level tokenisation: lower-cased runs of letters (with inner apostrophes), runs of digits, and every other
/// non-space character on its own (punctuation). The version string goes into every model file.
/// </summary>
public static partial class Tokenizer
{
    /// <summary>Changes whenever the rules change, so models record which rules made their inputs.</summary>
    public const string Version = "words-punct-lower-v1";

    /// <summary>The word domain's units: these rules, every word kept up to the vocabulary size.</summary>
    public static readonly TextUnits Units = new(Version, Examples, MinCount: 1, Name: "word", Counted: "tokens");

    [GeneratedRegex(@"\p{L}+(?:['’]\p{L}+)*|\p{N}+|[^\s\p{L}\p{N}]", RegexOptions.CultureInvariant)]
    private static partial Regex TokenPattern();

    /// <summary>Tokens of a text, in order.</summary>
    public static IEnumerable<string> Tokens(string text)
    {
        foreach (Match m in TokenPattern().Matches(text)) yield return m.Value.ToLowerInvariant();
    }

    /// <summary>
    /// Splits a document into examples: paragraphs (separated by blank lines), each cut into pieces of at most
    /// <paramref name="maxTokens"/> tokens. Empty paragraphs are dropped.
    /// </summary>
    public static IEnumerable<string[]> Examples(string document, int maxTokens)
    {
        var paragraphs = Regex.Split(document.Replace("\r\n", "\n"), @"\n\s*\n");
        foreach (var p in paragraphs)
        {
            var toks = Tokens(p).ToArray();
            for (int i = 0; i < toks.Length; i += maxTokens)
                yield return toks[i..Math.Min(toks.Length, i + maxTokens)];
        }
    }
}
