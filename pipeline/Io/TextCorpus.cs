using System.IO.Compression;
using System.Text;

namespace Lab.Pipeline.Io;

/// <summary>Loads a plain-text corpus: a .txt or .txt.gz file, or a folder of them (sorted by name).</summary>
public static class TextCorpus
{
    /// <summary>(name, text) per file; a problem naming the path when it is missing, unreadable, not UTF-8 or empty.</summary>
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
        var utf8 = new UTF8Encoding(false, throwOnInvalidBytes: true);
        foreach (var f in files)
        {
            try
            {
                using var raw = File.OpenRead(f);
                using Stream s = f.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(raw, CompressionMode.Decompress) : raw;
                using var reader = new StreamReader(s, utf8, detectEncodingFromByteOrderMarks: true);
                docs.Add((Path.GetFileName(f), reader.ReadToEnd()));
            }
            catch (DecoderFallbackException) { return new Problem($"{f}: not valid UTF-8 text", "convert it with iconv -t UTF-8"); }
            catch (InvalidDataException e) { return new Problem($"{f}: cannot be decompressed ({e.Message})"); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return new Problem($"{f}: cannot be read ({e.Message})"); }
        }
        if (docs.All(d => string.IsNullOrWhiteSpace(d.Item2))) return new Problem($"{path}: the text is empty", "give a corpus with text in it");
        return docs.ToSeq();
    }
}
