using Parquet.Serialization;

namespace Lab.Pipeline.Io;

/// <summary>Reads and writes rows of a record type as a Parquet file (column names from [JsonPropertyName]).</summary>
public static class ParquetTable
{
    /// <summary>Writes the rows atomically.</summary>
    public static Task Write<T>(string path, IEnumerable<T> rows) where T : class, new()
        => AtomicFile.WriteAsync(path, s => ParquetSerializer.SerializeAsync(rows.ToList(), s));

    /// <summary>All rows of the file, or a problem naming the file.</summary>
    public static async Task<Either<Problem, List<T>>> Read<T>(string path) where T : class, new()
    {
        if (!File.Exists(path)) return new Problem($"{path}: no such file");
        try
        {
            await using var s = File.OpenRead(path);
            var result = await ParquetSerializer.DeserializeAsync<T>(s);
            return result.Data.ToList();
        }
        catch (Exception e) when (e is IOException or InvalidDataException or NotSupportedException or InvalidOperationException or ArgumentException or Parquet.ParquetException)
        {
            return new Problem($"{path}: not a readable Parquet file of {typeof(T).Name} rows ({e.Message})",
                "delete it to recompute, or point at the right file");
        }
    }
}
