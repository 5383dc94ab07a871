using System.Text;
using Lab.Stages.Core;
using Lab.Stages.Domains.Nmt;
using LanguageExt;

namespace Lab.Pipeline.Domains.Nmt;

/// <summary>Prepared translation data on disk (BPE merges, vocabulary, id pairs, references), written once by the plan.</summary>
public static class NmtDataFile
{
    const string Magic = "LABNMT-DATA-1";

    /// <summary>Writes atomically.</summary>
    public static void Write(string path, NmtData d)
    {
        using var ms = new MemoryStream();
        using (var w = new BinaryWriter(ms, Encoding.UTF8, leaveOpen: true))
        {
            w.Write(Magic); w.Write(d.Fingerprint);
            w.Write(d.Bpe.Merges.Count); foreach (var (l, r) in d.Bpe.Merges) { w.Write(l); w.Write(r); }
            w.Write(d.Vocab.Size); foreach (var p in d.Vocab.Pieces) w.Write(p);
            foreach (var set in new[] { d.Train, d.Val, d.Test })
            {
                w.Write(set.Length);
                foreach (var p in set) { Ints(w, p.Src); Ints(w, p.Tgt); }
            }
            foreach (var refs in new[] { d.ValRefs, d.TestRefs }) { w.Write(refs.Length); foreach (var r in refs) w.Write(r); }
        }
        Io.AtomicFile.WriteAllBytes(path, ms.ToArray());
    }

    static void Ints(BinaryWriter w, int[] a) { w.Write(a.Length); foreach (var v in a) w.Write(v); }
    static int[] Ints(BinaryReader r) { var a = new int[r.ReadInt32()]; for (int i = 0; i < a.Length; i++) a[i] = r.ReadInt32(); return a; }

    /// <summary>Reads, or a problem naming the file.</summary>
    public static Either<Problem, NmtData> Read(string path)
    {
        try
        {
            using var r = new BinaryReader(File.OpenRead(path), Encoding.UTF8);
            if (r.ReadString() != Magic) return new Problem($"{path}: not a prepared translation data file", "run `pipeline plan` again");
            var fingerprint = r.ReadString();
            var merges = Enumerable.Range(0, r.ReadInt32()).Select(_ => (r.ReadString(), r.ReadString())).ToArray();
            var pieces = Enumerable.Range(0, r.ReadInt32()).Select(_ => r.ReadString()).ToArray();
            NmtPair[] Set() => Enumerable.Range(0, r.ReadInt32()).Select(_ => new NmtPair(Ints(r), Ints(r))).ToArray();
            var train = Set(); var val = Set(); var test = Set();
            string[] Refs() => Enumerable.Range(0, r.ReadInt32()).Select(_ => r.ReadString()).ToArray();
            var valRefs = Refs(); var testRefs = Refs();
            return new NmtData(new Bpe(merges), new NmtVocabulary(pieces), train, val, test, valRefs, testRefs, fingerprint);
        }
        catch (Exception e) when (e is IOException or EndOfStreamException or UnauthorizedAccessException)
        {
            return new Problem($"{path}: the prepared data cannot be read ({e.Message})", "run `pipeline plan` again");
        }
    }
}
