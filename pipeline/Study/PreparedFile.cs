using System.Text;

namespace Lab.Pipeline.Study;

/// <summary>
/// The file every domain prepares its data into once, at planning: a magic string (the kind and version), the data's
/// fingerprint, then the domain's own body, little-endian (BinaryWriter). Written atomically and streamed; read back
/// with every length checked against what the file holds, so a truncated or damaged file is a problem naming it, never
/// a short array or an exception.
/// </summary>
public static class PreparedFile
{
    /// <summary>Writes magic, fingerprint and the body atomically.</summary>
    public static void Write(string path, string magic, string fingerprint, Action<BinaryWriter> body)
        => Io.AtomicFile.Write(path, s =>
        {
            using var w = new BinaryWriter(new BufferedStream(s, 1 << 20), Encoding.UTF8, leaveOpen: false);
            w.Write(magic); w.Write(fingerprint);
            body(w);
            w.Flush();
        });

    /// <summary>Reads a file written by <see cref="Write"/>: the body gets the reader and the fingerprint. A wrong magic,
    /// a truncated or damaged body, or bytes left over are a problem naming the file and the <paramref name="kind"/> of data.</summary>
    public static Either<Problem, T> Read<T>(string path, string magic, string kind, Func<BinaryReader, string, T> body)
    {
        const string fix = "run `pipeline plan` again";
        try
        {
            using var r = new BinaryReader(new BufferedStream(File.OpenRead(path), 1 << 20), Encoding.UTF8);
            if (r.ReadString() != magic) return new Problem($"{path}: not a prepared {kind} data file ({magic})", fix);
            var result = body(r, r.ReadString());
            long left = r.BaseStream.Length - r.BaseStream.Position;
            return left == 0 ? result : new Problem($"{path}: {left} bytes after the prepared {kind} data (damaged, or written by another version)", fix);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or FormatException or OverflowException)
        {
            return new Problem($"{path}: the prepared {kind} data cannot be read ({e.Message})", fix);
        }
    }

    /// <summary>Writes a length-prefixed int array.</summary>
    public static void WriteInts(this BinaryWriter w, int[] a) { w.Write(a.Length); foreach (var v in a) w.Write(v); }

    /// <summary>Reads a length-prefixed int array written by <see cref="WriteInts"/>.</summary>
    public static int[] ReadInts(this BinaryReader r)
    {
        var a = new int[r.ReadCount(4)];
        for (int i = 0; i < a.Length; i++) a[i] = r.ReadInt32();
        return a;
    }

    /// <summary>A count read from the file, checked: not negative, and its items (of <paramref name="bytesEach"/> bytes
    /// at least) fit in what the file has left.</summary>
    public static int ReadCount(this BinaryReader r, int bytesEach = 1)
    {
        int n = r.ReadInt32();
        long left = r.BaseStream.Length - r.BaseStream.Position;
        if (n < 0 || (long)n * bytesEach > left) throw new InvalidDataException($"a count of {n} where {left} bytes are left");
        return n;
    }

    /// <summary>Exactly <paramref name="count"/> bytes, or an error (BinaryReader.ReadBytes returns fewer at the end).</summary>
    public static byte[] ReadExactly(this BinaryReader r, long count)
    {
        long left = r.BaseStream.Length - r.BaseStream.Position;
        if (count < 0 || count > left) throw new InvalidDataException($"a block of {count} bytes where {left} are left");
        var b = r.ReadBytes((int)count);
        return b.Length == count ? b : throw new EndOfStreamException($"{count} bytes expected, {b.Length} found");
    }
}
