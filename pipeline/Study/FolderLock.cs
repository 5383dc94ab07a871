namespace Lab.Pipeline.Study;

/// <summary>
/// An advisory lock on a study folder or on one of its trials: a file under <c>locks/</c> held open with
/// <see cref="FileShare.None"/>, which .NET takes with flock(LOCK_EX) on Linux — the kernel drops it when the holding
/// process ends in any way (kill -9 included), so a lock is never left behind and there is no deadlock. Beside it an
/// owner file says who holds it (command, process, host, since when); an owner file found by the next holder names a
/// holder that ended without releasing (killed), and the take-over is said. The lock files stay (removing a lock file
/// races with a process about to lock it); owner files are removed on release.
/// </summary>
public sealed class FolderLock : IDisposable
{
    /// <summary>The folder of a study's lock files.</summary>
    public const string Folder = "locks";

    readonly FileStream held;
    readonly string owner;

    FolderLock(FileStream held, string owner) { this.held = held; this.owner = owner; }

    /// <summary>Who held the lock before this one, when that holder ended without releasing it (null otherwise).</summary>
    public string? TookOverFrom { get; private init; }

    /// <summary>The lock file of a study (<paramref name="name"/> "study") or of a trial (its id).</summary>
    public static string PathOf(string studyDir, string name) => System.IO.Path.Combine(studyDir, Folder, $"{name}.lock");

    /// <summary>Takes the lock when it is free; else None and who holds it (as the owner file says).</summary>
    public static Either<string, FolderLock> TryTake(string lockPath, string command)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(lockPath)!);
        var ownerPath = System.IO.Path.ChangeExtension(lockPath, ".owner");
        FileStream stream;
        try { stream = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None); }
        catch (IOException) when (File.Exists(lockPath))
        {
            return Left<string, FolderLock>(Owner(ownerPath) ?? "another process (it has not said which yet)");
        }
        var before = Owner(ownerPath);
        var me = $"`{command}` (process {Environment.ProcessId} on {Environment.MachineName}, since {DateTime.UtcNow:yyyy-MM-dd HH:mm:ss} UTC)";
        Io.AtomicFile.WriteAllText(ownerPath, me);
        return new FolderLock(stream, ownerPath) { TookOverFrom = before };
    }

    /// <summary>Takes the lock, waiting while another process holds it: polls every <paramref name="poll"/>, says once
    /// that it waits (through <paramref name="waiting"/>), and gives up after <paramref name="patience"/> (null: never)
    /// with the holder's description.</summary>
    public static Either<string, FolderLock> Take(string lockPath, string command, TimeSpan poll, TimeSpan? patience, Action<string> waiting, CancellationToken cancel)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        bool said = false;
        while (true)
        {
            var taken = TryTake(lockPath, command);
            if (taken.IsRight) return taken;
            string holder = taken.Match(_ => "", h => h);
            if (patience is { } p && clock.Elapsed >= p || cancel.IsCancellationRequested) return holder;
            if (!said) { waiting(holder); said = true; }
            cancel.WaitHandle.WaitOne(poll);
        }
    }

    static string? Owner(string path)
    {
        try { return File.Exists(path) ? File.ReadAllText(path).Trim() : null; }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
    }

    /// <summary>Removes the owner file and releases the lock.</summary>
    public void Dispose()
    {
        try { File.Delete(owner); } catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        held.Dispose();
    }
}
