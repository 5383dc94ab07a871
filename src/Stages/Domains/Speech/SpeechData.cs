namespace Lab.Stages.Domains.Speech;

/// <summary>One utterance ready for training: normalised log-mel features [frames, 80] (half precision to halve the
/// memory of a large corpus), its transcript and the transcript's label ids. The features are a read-only view: a copy
/// made with <c>with</c> (the re-evaluation's relabelled utterances) shares them and cannot change them.</summary>
public sealed record Utterance(string Text, int[] Labels, ReadOnlyMemory<Half> Features, int Frames);

/// <summary>A split of utterances, in order (training: the seeded shard order, so shards are prefixes).</summary>
public sealed record SpeechSet(Utterance[] Items)
{
    /// <summary>Utterances.</summary>
    public int Count => Items.Length;
    /// <summary>Feature frames (10 ms each).</summary>
    public long Frames => Items.Sum(u => (long)u.Frames);
}

/// <summary>The prepared corpus of a study: splits, alphabet and the fingerprint of the audio and transcripts.</summary>
public sealed record SpeechData(SpeechSet Train, SpeechSet Val, SpeechSet Test, CharVocab Vocab, string Fingerprint) : IFingerprinted
{
    /// <summary>Feature recipe, recorded in models so a re-evaluation can refuse a different one.</summary>
    public const string Version = LogMel.Version + "+utterance-cmvn";
}
