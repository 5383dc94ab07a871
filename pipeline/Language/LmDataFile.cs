using Lab.Stages.Language;

namespace Lab.Pipeline.Language;

/// <summary>Prepared language-model data (vocabulary, validation, test and training ids) in the shared
/// <see cref="PreparedFile"/> format, so the trials of a planned study never tokenise again.</summary>
public static class LmDataFile
{
    const string Magic = "LABLM-DATA-1";

    /// <summary>Writes the data atomically.</summary>
    public static void Write(string path, LmData d) => PreparedFile.Write(path, Magic, d.Fingerprint, w =>
    {
        w.Write(d.Vocab.Size); foreach (var word in d.Vocab.Words) w.Write(word);
        w.WriteInts(d.Val); w.WriteInts(d.Test);
        w.Write(d.Train.Count); foreach (var e in d.Train) w.WriteInts(e);
    });

    /// <summary>Reads the data, or a problem naming the file.</summary>
    public static Either<Problem, LmData> Read(string path) => PreparedFile.Read(path, Magic, "language-model", (r, fingerprint) =>
    {
        var words = new string[r.ReadCount()];
        for (int i = 0; i < words.Length; i++) words[i] = r.ReadString();
        var val = r.ReadInts(); var test = r.ReadInts();
        var train = new int[r.ReadCount(4)][];
        for (int i = 0; i < train.Length; i++) train[i] = r.ReadInts();
        return new LmData(new Vocabulary(words), val, test, train, fingerprint);
    });
}
