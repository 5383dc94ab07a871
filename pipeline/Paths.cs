namespace Lab.Pipeline;

/// <summary>Locates the repository (for shipped data) and checks output folders.</summary>
public static class Paths
{
    /// <summary>The folder holding Pipeline.sln: searched upwards from the working directory and the program, else
    /// the folder the program was built from (recorded at build time), else the working directory.</summary>
    public static string RepoRoot()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var d = new DirectoryInfo(start); d is not null; d = d.Parent)
                if (File.Exists(Path.Combine(d.FullName, "Pipeline.sln"))) return d.FullName;
        }
        var built = typeof(Paths).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false)
            .Cast<System.Reflection.AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == "LabRepoRoot")?.Value;
        return built is not null && File.Exists(Path.Combine(built, "Pipeline.sln")) ? built : Directory.GetCurrentDirectory();
    }

    /// <summary>Removes a folder that holds nothing (a refused command's output folder, made by
    /// <see cref="CheckWritable"/> before the refusal); a folder with anything in it is kept. Returns why an empty
    /// folder could not be removed, else null.</summary>
    /// <param name="ours">A sub-folder the command itself made (the locks it took); the folder counts as empty with only
    /// that in it (the sub-folder is removed with it).</param>
    public static string? RemoveIfEmpty(string dir, string? ours = null)
    {
        try
        {
            if (!Directory.Exists(dir)) return null;
            var entries = Directory.EnumerateFileSystemEntries(dir).ToList();
            if (ours is not null && entries.Count == 1 && Path.GetFileName(entries[0]) == ours && Directory.Exists(entries[0]))
            {
                Directory.Delete(entries[0], recursive: true);
                entries.Clear();
            }
            if (entries.Count == 0) Directory.Delete(dir);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"{dir}: the empty output folder could not be removed ({e.Message})";
        }
    }

    /// <summary>Whether <paramref name="path"/> is <paramref name="folder"/> or lies inside it (full paths, symbolic links
    /// of the folders themselves resolved).</summary>
    public static bool IsInside(string path, string folder)
    {
        static string Full(string p)
        {
            var full = Path.GetFullPath(p);
            try { if (Directory.ResolveLinkTarget(full, returnFinalTarget: true) is { } target) full = target.FullName; }
            catch (IOException) { }
            return Path.TrimEndingDirectorySeparator(full) + Path.DirectorySeparatorChar;
        }
        return Full(path).StartsWith(Full(folder), StringComparison.Ordinal);
    }

    /// <summary>Creates the folder and proves it writable; the message names the folder.</summary>
    public static string? CheckWritable(string dir)
    {
        try
        {
            Directory.CreateDirectory(dir);
            var probe = Path.Combine(dir, $".write-probe-{Environment.ProcessId}");
            File.WriteAllText(probe, "");
            File.Delete(probe);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"{dir}: the output folder is not writable ({e.Message})";
        }
    }
}
