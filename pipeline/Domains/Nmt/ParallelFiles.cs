using System.Text;

namespace Lab.Pipeline.Domains.Nmt;

/// <summary>
/// Loads a parallel corpus: a TSV file (.tsv or .tsv.gz) with two columns (first language, second language) or three
/// (an id, then the two languages), or a folder with two line-aligned files sharing a name and differing in their
/// language extension (train.en / train.es, WMT/Moses style; English first when present, else alphabetical).
/// Mismatched line counts, a file with only empty lines, or text that is not UTF-8 is an error naming the file.
/// </summary>
public static class ParallelFiles
{
    /// <summary>(first, second) language names and the sentence pairs (pairs with an empty side are dropped).</summary>
    public static Either<Problem, (string First, string Second, List<(string, string)> Pairs)> Load(string path)
    {
        if (Directory.Exists(path))
        {
            var files = Directory.GetFiles(path).Where(f => !f.EndsWith(".gz")).GroupBy(f => Path.GetFileNameWithoutExtension(f))
                .FirstOrDefault(g => g.Count() == 2);
            if (files is null) return new Problem($"{path}: expected two line-aligned files with one name and two language extensions (train.en, train.es) or a .tsv file");
            var two = files.OrderBy(f => Path.GetExtension(f) == ".en" ? "" : Path.GetExtension(f), StringComparer.Ordinal).ToArray();
            return from a in Lines(two[0]) from b in Lines(two[1])
                   from pairs in a.Count == b.Count ? Zip(a, b, two[0])
                       : new Problem($"{two[0]} has {a.Count:N0} lines but {two[1]} has {b.Count:N0}", "the files must be line-aligned")
                   select (Path.GetExtension(two[0]).TrimStart('.'), Path.GetExtension(two[1]).TrimStart('.'), pairs);
        }
        if (!File.Exists(path)) return new Problem($"{path}: no such file or folder", "check --data");
        return Lines(path).Bind(lines =>
        {
            var pairs = new List<(string, string)>();
            for (int i = 0; i < lines.Count; i++)
            {
                if (lines[i].Length == 0) continue;
                var cols = lines[i].Split('\t');
                if (cols.Length is not (2 or 3)) return new Problem($"{path}: line {i + 1} has {cols.Length} tab-separated columns, expected 2 (source, target) or 3 (id, source, target)");
                var (a, b) = cols.Length == 2 ? (cols[0], cols[1]) : (cols[1], cols[2]);
                if (a.Trim().Length > 0 && b.Trim().Length > 0) pairs.Add((a.Trim(), b.Trim()));
            }
            return pairs.Count == 0 ? new Problem($"{path}: no sentence pairs (only empty lines)") : LanguageExt.Prelude.Right<Problem, (string, string, List<(string, string)>)>(("first", "second", pairs));
        });
    }

    static Either<Problem, List<(string, string)>> Zip(List<string> a, List<string> b, string name)
    {
        var pairs = a.Zip(b, (x, y) => (x.Trim(), y.Trim())).Where(p => p.Item1.Length > 0 && p.Item2.Length > 0).ToList();
        return pairs.Count == 0 ? new Problem($"{name}: no sentence pairs (only empty lines)") : pairs;
    }

    static Either<Problem, List<string>> Lines(string file)
        => InputFile.ReadAllText(file).Map(text =>
        {
            var lines = new List<string>();
            using var reader = new StringReader(text);
            while (reader.ReadLine() is { } line) lines.Add(line);
            return lines;
        });
}
