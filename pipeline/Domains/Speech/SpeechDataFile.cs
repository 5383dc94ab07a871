using System.Runtime.InteropServices;
using Lab.Stages.Domains.Speech;

namespace Lab.Pipeline.Domains.Speech;

/// <summary>Prepared speech data (alphabet, each split's transcripts and half-precision features) in the shared
/// <see cref="PreparedFile"/> format, written once by the plan so trials do not read audio again.</summary>
public static class SpeechDataFile
{
    const string Magic = "LABSPEECH-DATA-1";

    /// <summary>Writes atomically (streamed: a large corpus's features are hundreds of MB).</summary>
    public static void Write(string path, SpeechData d) => PreparedFile.Write(path, Magic, d.Fingerprint, w =>
    {
        w.Write(d.Vocab.Chars);
        foreach (var set in new[] { d.Train, d.Val, d.Test })
        {
            w.Write(set.Count);
            foreach (var u in set.Items)
            {
                w.Write(u.Text); w.Write(u.Frames); w.WriteInts(u.Labels);
                w.Write(MemoryMarshal.AsBytes(u.Features.Span));
            }
        }
    });

    /// <summary>Reads, or a problem naming the file.</summary>
    public static Either<Problem, SpeechData> Read(string path) => PreparedFile.Read(path, Magic, "speech", (r, fingerprint) =>
    {
        var vocab = new CharVocab(r.ReadString());
        SpeechSet Set()
        {
            var items = new Utterance[r.ReadCount()];
            for (int i = 0; i < items.Length; i++)
            {
                var text = r.ReadString(); int frames = r.ReadInt32();
                var labels = r.ReadInts();
                var f = new Half[checked(frames * LogMel.Bins)];
                r.ReadExactly(f.Length * 2L).AsSpan().CopyTo(MemoryMarshal.AsBytes(f.AsSpan()));
                items[i] = new Utterance(text, labels, f, frames);
            }
            return new SpeechSet(items);
        }
        var train = Set(); var val = Set(); var test = Set();
        return new SpeechData(train, val, test, vocab, fingerprint);
    });
}
