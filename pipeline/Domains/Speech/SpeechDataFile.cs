using System.Runtime.InteropServices;
using System.Text;
using Lab.Stages.Core;
using Lab.Stages.Domains.Speech;
using LanguageExt;

namespace Lab.Pipeline.Domains.Speech;

/// <summary>Prepared speech data on disk (alphabet, fingerprint, each split's transcripts and half-precision features),
/// written once by the plan so trials do not read audio again.</summary>
public static class SpeechDataFile
{
    const string Magic = "LABSPEECH-DATA-1";

    /// <summary>Writes atomically (streamed: a large corpus's features are hundreds of MB).</summary>
    public static void Write(string path, SpeechData d)
    {
        Io.AtomicFile.Write(path, s =>
        {
            using var w = new BinaryWriter(new BufferedStream(s, 1 << 20), Encoding.UTF8, leaveOpen: false);
            w.Write(Magic); w.Write(d.Fingerprint); w.Write(d.Vocab.Chars);
            foreach (var set in new[] { d.Train, d.Val, d.Test })
            {
                w.Write(set.Count);
                foreach (var u in set.Items)
                {
                    w.Write(u.Text); w.Write(u.Frames); w.Write(u.Labels.Length);
                    foreach (var l in u.Labels) w.Write(l);
                    w.Write(MemoryMarshal.AsBytes(u.Features.AsSpan()));
                }
            }
            w.Flush();
        });
    }

    /// <summary>Reads, or a problem naming the file.</summary>
    public static Either<Problem, SpeechData> Read(string path)
    {
        try
        {
            using var r = new BinaryReader(new BufferedStream(File.OpenRead(path), 1 << 20), Encoding.UTF8);
            if (r.ReadString() != Magic) return new Problem($"{path}: not a prepared speech data file", "run `pipeline plan` again");
            var fingerprint = r.ReadString(); var vocab = new CharVocab(r.ReadString());
            SpeechSet Set()
            {
                var items = new Utterance[r.ReadInt32()];
                for (int i = 0; i < items.Length; i++)
                {
                    var text = r.ReadString(); int frames = r.ReadInt32();
                    var labels = new int[r.ReadInt32()];
                    for (int j = 0; j < labels.Length; j++) labels[j] = r.ReadInt32();
                    var f = new Half[frames * LogMel.Bins];
                    var bytes = r.ReadBytes(f.Length * 2);
                    if (bytes.Length != f.Length * 2) throw new EndOfStreamException("truncated features");
                    bytes.AsSpan().CopyTo(MemoryMarshal.AsBytes(f.AsSpan()));
                    items[i] = new Utterance(text, labels, f, frames);
                }
                return new SpeechSet(items);
            }
            var train = Set(); var val = Set(); var test = Set();
            return new SpeechData(train, val, test, vocab, fingerprint);
        }
        catch (Exception e) when (e is IOException or EndOfStreamException or UnauthorizedAccessException)
        {
            return new Problem($"{path}: the prepared data cannot be read ({e.Message})", "run `pipeline plan` again");
        }
    }
}
