using System.Text;
using Lab.Stages.Core;
using Lab.Stages.Domains.Lm;
using LanguageExt;

namespace Lab.Pipeline.Domains.Lm;

/// <summary>Prepared language-model data on disk (vocabulary, validation, test and training ids), so the trials of a
/// planned study never tokenise again. Little-endian binary with a magic string and the data fingerprint.</summary>
public static class LmDataFile
{
    const string Magic = "LABLM-DATA-1";

    /// <summary>Writes the data atomically.</summary>
    public static void Write(string path, LmData d)
    {
        using var ms = new MemoryStream();
        using (var w = new BinaryWriter(ms, Encoding.UTF8, leaveOpen: true))
        {
            w.Write(Magic); w.Write(d.Fingerprint);
            w.Write(d.Vocab.Size); foreach (var word in d.Vocab.Words) w.Write(word);
            Ints(w, d.Val); Ints(w, d.Test);
            w.Write(d.Train.Count); foreach (var e in d.Train) Ints(w, e);
        }
        Io.AtomicFile.WriteAllBytes(path, ms.ToArray());
    }

    static void Ints(BinaryWriter w, int[] a) { w.Write(a.Length); foreach (var v in a) w.Write(v); }
    static int[] Ints(BinaryReader r) { var a = new int[r.ReadInt32()]; for (int i = 0; i < a.Length; i++) a[i] = r.ReadInt32(); return a; }

    /// <summary>Reads the data, or a problem naming the file.</summary>
    public static Either<Problem, LmData> Read(string path)
    {
        try
        {
            using var r = new BinaryReader(File.OpenRead(path), Encoding.UTF8);
            if (r.ReadString() != Magic) return new Problem($"{path}: not a prepared language-model data file", "run `pipeline plan` again");
            var fingerprint = r.ReadString();
            var words = new string[r.ReadInt32()];
            for (int i = 0; i < words.Length; i++) words[i] = r.ReadString();
            var val = Ints(r); var test = Ints(r);
            var train = new int[r.ReadInt32()][];
            for (int i = 0; i < train.Length; i++) train[i] = Ints(r);
            return new LmData(new Vocabulary(words), val, test, train, fingerprint);
        }
        catch (Exception e) when (e is IOException or EndOfStreamException or UnauthorizedAccessException)
        {
            return new Problem($"{path}: the prepared data cannot be read ({e.Message})", "run `pipeline plan` again");
        }
    }
}
