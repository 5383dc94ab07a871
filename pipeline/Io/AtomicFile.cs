namespace Lab.Pipeline.Io;

/// <summary>Writes files under a temporary name and renames them, so a killed run never leaves a half-written file; a
/// write that fails (disk full, read-only) removes its temporary file and leaves any earlier version in place.</summary>
public static class AtomicFile
{
    /// <summary>Writes bytes to path via path.tmp-PID and a rename.</summary>
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes)
    {
        var data = bytes.ToArray();
        Write(path, f => f.Write(data));
    }

    /// <summary>Writes text (UTF-8) atomically.</summary>
    public static void WriteAllText(string path, string text) => WriteAllBytes(path, System.Text.Encoding.UTF8.GetBytes(text));

    /// <summary>Runs a writer on a temporary stream, then renames it to path (for files too large to build in memory).</summary>
    public static void Write(string path, Action<Stream> write)
    {
        var tmp = TempName(path);
        try
        {
            using (var f = File.Create(tmp)) write(f);
            File.Move(tmp, path, overwrite: true);
        }
        catch { TryDelete(tmp); throw; }
    }

    /// <summary>Runs a writer on a temporary stream, then renames it to path.</summary>
    public static async Task WriteAsync(string path, Func<Stream, Task> write)
    {
        var tmp = TempName(path);
        try
        {
            await using (var f = File.Create(tmp)) await write(f);
            File.Move(tmp, path, overwrite: true);
        }
        catch { TryDelete(tmp); throw; }
    }

    static void TryDelete(string tmp)
    {
        try { File.Delete(tmp); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }   // the original failure is the one to report
    }

    static string TempName(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        return $"{path}.tmp-{Environment.ProcessId}";
    }
}
