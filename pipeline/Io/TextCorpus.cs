namespace Lab.Pipeline.Io;

/// <summary>Loads a plain-text corpus: a .txt or .txt.gz file, or a folder of them (sorted by name).</summary>
public static class TextCorpus
{
    /// <summary>(name, text) per file; a problem naming the path when it is missing, unreadable, not UTF-8, empty, or a
    /// .gz archive that is damaged or cut short (<see cref="InputFile"/>).</summary>
    public static Either<Problem, Seq<(string Name, string Text)>> Load(string path)
    {
        string[] files;
        if (Directory.Exists(path))
        {
            files = Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories)
                .Where(f => f.EndsWith(".txt", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".txt.gz", StringComparison.OrdinalIgnoreCase))
                .OrderBy(f => f, StringComparer.Ordinal).ToArray();
            if (files.Length == 0) return new Problem($"{path}: the folder holds no .txt or .txt.gz files", "point --data at a text file or a folder of them");
        }
        else if (File.Exists(path)) files = [path];
        else return new Problem($"{path}: no such file or folder", "check --data");

        var docs = new List<(string, string)>();
        foreach (var f in files)
        {
            var text = InputFile.ReadAllText(f);
            if (text.IsLeft) return text.Map(_ => Seq<(string, string)>());
            docs.Add((Path.GetFileName(f), text.Match(t => t, _ => "")));
        }
        if (docs.All(d => string.IsNullOrWhiteSpace(d.Item2))) return new Problem($"{path}: the text is empty", "give a corpus with text in it");
        return docs.ToSeq();
    }
}
