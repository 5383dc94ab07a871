using System.Security.Cryptography;
using System.Text;

namespace Lab.Stages.Core;

/// <summary>Content hashes used for trial ids, data fingerprints and model checksums.</summary>
public static class Hashing
{
    /// <summary>Lower-case hex SHA-256 of a UTF-8 string.</summary>
    public static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    /// <summary>Lower-case hex SHA-256 of bytes.</summary>
    public static string Sha256(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <summary>SHA-256 of a sequence of integers (little-endian), for token streams.</summary>
    public static string Sha256(IEnumerable<int> values)
    {
        using var h = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> buf = stackalloc byte[4];
        foreach (var v in values) { BitConverter.TryWriteBytes(buf, v); h.AppendData(buf); }
        return Convert.ToHexStringLower(h.GetHashAndReset());
    }
}
