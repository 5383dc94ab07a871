using System.Diagnostics;

namespace Lab.Tests.Faults;

/// <summary>The pipeline of this build as a child process (to be killed with SIGKILL at a chosen moment, or signalled), and
/// copies of study folders for the fault tests to damage.</summary>
static class Child
{
    static string Dll => Path.Combine(AppContext.BaseDirectory, "pipeline.dll");

    /// <summary>Starts the pipeline with its standard output and error redirected (the caller reads, signals and waits).</summary>
    public static Process Start(IEnumerable<string> args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(Dll);
        foreach (var a in args) psi.ArgumentList.Add(a);
        return Process.Start(psi)!;
    }

    /// <summary>A copy of a folder tree under the temporary folder (lab-<paramref name="what"/>-…); returns its path.</summary>
    public static string CopyOf(string dir, string what)
    {
        var copy = Path.Combine(Path.GetTempPath(), $"lab-{what}-{Guid.NewGuid():N}");
        foreach (var f in Directory.GetFiles(dir, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(copy, Path.GetRelativePath(dir, f));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(f, target);
        }
        return copy;
    }

    /// <summary>Runs the pipeline; with <paramref name="killAfter"/>, kills it (SIGKILL, whole tree) then unless it ended
    /// first. Returns the exit code (null when killed) and what it wrote to standard error.</summary>
    public static (int? Code, string Errors) Run(IEnumerable<string> args, TimeSpan? killAfter = null)
        => Run(args, killAfter is { } t ? () => true : null, killAfter ?? TimeSpan.Zero);

    /// <summary>Runs the pipeline and kills it (SIGKILL) <paramref name="delay"/> after <paramref name="when"/> first
    /// holds (polled every 20 ms), unless it ended first. Returns the exit code (null when killed) and its output.</summary>
    public static (int? Code, string Errors) Run(IEnumerable<string> args, Func<bool>? when, TimeSpan delay)
    {
        using var p = Start(args);
        var stderr = p.StandardError.ReadToEndAsync();
        var stdout = p.StandardOutput.ReadToEndAsync();
        bool ended;
        if (when is null) ended = p.WaitForExit(TimeSpan.FromMinutes(20));
        else
        {
            while (!(ended = p.WaitForExit(20)) && !when()) { }
            if (!ended) ended = p.WaitForExit(delay);
        }
        if (!ended)
        {
            p.Kill(entireProcessTree: true);
            p.WaitForExit();
            return (null, stderr.Result);
        }
        p.WaitForExit();
        return (p.ExitCode, stderr.Result + stdout.Result);
    }
}
