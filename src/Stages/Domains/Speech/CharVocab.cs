namespace Lab.Stages.Domains.Speech;

/// <summary>The output alphabet of a recogniser: CTC blank at 0, then the characters of the training transcripts in
/// ordinal order. Characters outside it cannot be emitted; they stay in references, so they count as errors.</summary>
public sealed record CharVocab(string Chars)
{
    /// <summary>CTC blank id.</summary>
    public const int Blank = 0;
    /// <summary>Output classes (blank + characters).</summary>
    public int Size => Chars.Length + 1;

    /// <summary>The alphabet of some transcripts.</summary>
    public static CharVocab Of(IEnumerable<string> texts)
        => new(new string(texts.SelectMany(t => t).Distinct().Order().ToArray()));

    /// <summary>Label ids (1-based) of the characters the alphabet has; others skipped.</summary>
    public int[] Encode(string text) => text.Select(c => Chars.IndexOf(c)).Where(i => i >= 0).Select(i => i + 1).ToArray();

    /// <summary>The text of label ids (blank and unknown ids skipped).</summary>
    public string Decode(IEnumerable<int> ids) => new(ids.Where(i => i > 0 && i <= Chars.Length).Select(i => Chars[i - 1]).ToArray());
}
