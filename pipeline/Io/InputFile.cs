using System.IO.Compression;
using System.Text;

namespace Lab.Pipeline.Io;

/// <summary>
/// Reads a data file whole: plain, or gzip-compressed (<c>.gz</c>) and read to its verified end. .NET's GZipStream
/// checks the CRC of every member it finishes, but a file cut short ends its output silently, and bytes after the last
/// member are ignored; so the last member's trailer (the file's last 8 bytes: CRC-32 and length of that member's data)
/// is checked against the end of the output too. A truncated, damaged or padded archive is a problem naming the file
/// (so is one whose last member is empty, after others: recompress it).
/// </summary>
public static class InputFile
{
    /// <summary>The file's bytes (decompressed when its name ends in .gz), or a problem naming it.</summary>
    public static Either<Problem, byte[]> ReadAllBytes(string path)
    {
        try
        {
            var raw = File.ReadAllBytes(path);
            return path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? Gunzip(path, raw) : raw;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new Problem($"{path}: cannot be read ({e.Message})");
        }
    }

    /// <summary>The file's text (strict UTF-8, a byte-order mark skipped), or a problem naming it.</summary>
    public static Either<Problem, string> ReadAllText(string path)
        => ReadAllBytes(path).Bind(bytes =>
        {
            try
            {
                var span = bytes.AsSpan();
                if (span.StartsWith(Encoding.UTF8.Preamble)) span = span[Encoding.UTF8.Preamble.Length..];
                return Right<Problem, string>(Strict.GetString(span));
            }
            catch (DecoderFallbackException) { return new Problem($"{path}: not valid UTF-8 text", "convert it with iconv -t UTF-8"); }
        });

    static readonly UTF8Encoding Strict = new(false, throwOnInvalidBytes: true);

    /// <summary>Decompresses every member of a gzip file and checks the last member's trailer against the output's end.</summary>
    public static Either<Problem, byte[]> Gunzip(string path, byte[] raw)
    {
        const string fix = "the archive is damaged or was cut short: copy or download it again (gzip -t tests it)";
        if (raw.Length < 18 || raw[0] != 0x1f || raw[1] != 0x8b)
            return new Problem($"{path}: not a gzip file ({raw.Length} bytes{(raw.Length >= 2 ? $", starting {raw[0]:x2} {raw[1]:x2}" : "")})", fix);
        byte[] output;
        try
        {
            using var gz = new GZipStream(new MemoryStream(raw, writable: false), CompressionMode.Decompress);
            using var ms = new MemoryStream();
            gz.CopyTo(ms);
            output = ms.ToArray();
        }
        catch (InvalidDataException e) { return new Problem($"{path}: damaged gzip data (a CRC or the compressed stream does not check: {e.Message})", fix); }
        uint crc = System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(raw.AsSpan(raw.Length - 8)),
             size = System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(raw.AsSpan(raw.Length - 4));   // gzip stores both little-endian
        // eight zero bytes pass for the trailer of an empty member; they are taken as one only when the whole file is
        // that (an empty corpus file): zero bytes after the data are what a copy cut short and zero-filled leaves
        if (crc == 0 && size == 0 && output.Length > 0)
            return new Problem($"{path}: the gzip data ends in zero bytes, not in the trailer of its data ({output.Length:N0} bytes decompressed)", fix);
        // the last member's data is the output's last `size` bytes (mod 2^32: take the largest that fits)
        long last = size;
        while (last + (1L << 32) <= output.Length) last += 1L << 32;
        if (last > output.Length || Crc32.Of(output.AsSpan(output.Length - (int)last)) != crc)
            return new Problem($"{path}: the gzip data ends before its trailer or with bytes after it " +
                               $"({output.Length:N0} bytes decompressed; the last 8 bytes are not the CRC and length of the data before them)", fix);
        return output;
    }
}

/// <summary>CRC-32 (IEEE 802.3, as gzip uses it), table-driven.</summary>
public static class Crc32
{
    static readonly uint[] Table = Enumerable.Range(0, 256).Select(n =>
    {
        uint c = (uint)n;
        for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        return c;
    }).ToArray();

    /// <summary>The CRC-32 of the bytes.</summary>
    public static uint Of(ReadOnlySpan<byte> data)
    {
        uint c = 0xFFFFFFFFu;
        foreach (var b in data) c = Table[(c ^ b) & 0xFF] ^ (c >> 8);
        return c ^ 0xFFFFFFFFu;
    }
}
