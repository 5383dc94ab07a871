using Lab.Stages.Domains.Nmt;

namespace Lab.Pipeline.Domains.Nmt;

/// <summary>Prepared translation data (BPE merges, vocabulary, id pairs, references) in the shared
/// <see cref="PreparedFile"/> format, written once by the plan.</summary>
public static class NmtDataFile
{
    const string Magic = "LABNMT-DATA-1";

    /// <summary>Writes atomically.</summary>
    public static void Write(string path, NmtData d) => PreparedFile.Write(path, Magic, d.Fingerprint, w =>
    {
        w.Write(d.Bpe.Merges.Count); foreach (var (l, r) in d.Bpe.Merges) { w.Write(l); w.Write(r); }
        w.Write(d.Vocab.Size); foreach (var p in d.Vocab.Pieces) w.Write(p);
        foreach (var set in new[] { d.Train, d.Val, d.Test })
        {
            w.Write(set.Length);
            foreach (var p in set) { w.WriteInts(p.Src); w.WriteInts(p.Tgt); }
        }
        foreach (var refs in new[] { d.ValRefs, d.TestRefs }) { w.Write(refs.Length); foreach (var r in refs) w.Write(r); }
    });

    /// <summary>Reads, or a problem naming the file.</summary>
    public static Either<Problem, NmtData> Read(string path) => PreparedFile.Read(path, Magic, "translation", (r, fingerprint) =>
    {
        var merges = Enumerable.Range(0, r.ReadCount(2)).Select(_ => (r.ReadString(), r.ReadString())).ToArray();
        var pieces = Enumerable.Range(0, r.ReadCount()).Select(_ => r.ReadString()).ToArray();
        NmtPair[] Set() => Enumerable.Range(0, r.ReadCount(8)).Select(_ => new NmtPair(r.ReadInts(), r.ReadInts())).ToArray();
        var train = Set(); var val = Set(); var test = Set();
        string[] Refs() => Enumerable.Range(0, r.ReadCount()).Select(_ => r.ReadString()).ToArray();
        var valRefs = Refs(); var testRefs = Refs();
        return new NmtData(new Bpe(merges), new NmtVocabulary(pieces), train, val, test, valRefs, testRefs, fingerprint);
    });
}
