using System.Text;
using System.Text.RegularExpressions;
using Lab.Stages.Language;

namespace Lab.Stages.Domains.CharLm;

/// <summary>
/// Character-level units: each paragraph (separated by blank lines) in Unicode normalisation form C, every run of white
/// space (line breaks included) one space, trimmed, then cut into its characters (Unicode scalar values, so a character
/// outside the basic plane is one unit). Case and punctuation are kept. A character seen fewer than
/// <see cref="MinCount"/> times in the training split reads as &lt;unk&gt;. The version string goes into every model file.
/// </summary>
public static partial class Characters
{
    /// <summary>Changes whenever the rules change.</summary>
    public const string Version = "chars-nfc-space-v1";

    /// <summary>Occurrences in the training split a character needs for an id of its own.</summary>
    public const int MinCount = 5;

    /// <summary>The character domain's units.</summary>
    public static readonly TextUnits Units = new(Version, Examples, MinCount, Name: "character", Counted: "characters");

    [GeneratedRegex(@"\s+", RegexOptions.CultureInvariant)]
    private static partial Regex WhiteSpace();

    /// <summary>A paragraph's text as the model sees it: NFC, white space runs as one space, trimmed.</summary>
    public static string Normalise(string paragraph) => WhiteSpace().Replace(paragraph.Normalize(NormalizationForm.FormC), " ").Trim();

    /// <summary>The characters of a normalised text, one string each.</summary>
    public static string[] Split(string text) => text.EnumerateRunes().Select(r => r.ToString()).ToArray();

    /// <summary>A document's examples: its paragraphs, normalised, cut into pieces of at most <paramref name="maxChars"/> characters.</summary>
    public static IEnumerable<string[]> Examples(string document, int maxChars)
    {
        foreach (var p in Regex.Split(document.Replace("\r\n", "\n"), @"\n\s*\n"))
        {
            var chars = Split(Normalise(p));
            for (int i = 0; i < chars.Length; i += maxChars)
                yield return chars[i..Math.Min(chars.Length, i + maxChars)];
        }
    }

    /// <summary>The text of ids (an example without its &lt;eos&gt;); &lt;unk&gt; reads as U+FFFD.</summary>
    public static string Decode(IEnumerable<int> ids, Vocabulary vocab)
        => string.Concat(ids.Select(i => i == Vocabulary.Unk ? "\uFFFD" : vocab.Words[i]));
}
