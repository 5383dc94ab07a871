using System.Diagnostics;
using Lab.Pipeline;
using Lab.Pipeline.Io;
using Lab.Pipeline.Results;

namespace Lab.Tests.Faults;

/// <summary>A fact that needs to mount a small file system (root, and a kernel that lets it mount tmpfs); skipped with
/// the reason elsewhere.</summary>
public sealed class MountFactAttribute : FactAttribute
{
    public MountFactAttribute()
    {
        if (Environment.UserName != "root") { Skip = "needs root to mount a small tmpfs (CI runs as root)"; return; }
        var probe = Path.Combine(Path.GetTempPath(), $"lab-mount-probe-{Guid.NewGuid():N}");
        Directory.CreateDirectory(probe);
        try
        {
            if (DiskFaultTests.Sh("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", probe) != 0) Skip = "mount -t tmpfs is not permitted here";
            else DiskFaultTests.Sh("umount", probe);
        }
        finally { Directory.Delete(probe); }
    }
}

/// <summary>An output folder that is read-only, and a disk that fills up in the middle of a study.</summary>
[Collection("smoke run")]
public class DiskFaultTests(SmokeRunFixture smoke)
{
    internal static int Sh(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        p.WaitForExit();
        return p.ExitCode;
    }

    static string Mount(string options)
    {
        var dir = Path.Combine(Path.GetTempPath(), $"lab-disk-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        Assert.Equal(0, Sh("mount", "-t", "tmpfs", "-o", options, "tmpfs", dir));
        return dir;
    }

    static void Unmount(string dir) { Sh("umount", dir); Directory.Delete(dir, true); }

    async Task<(int Code, string Errors)> Run(string outDir)
    {
        var err = new StringWriter();
        var args = smoke.Args.Select(a => a == smoke.Out ? outDir : a).ToArray();
        return (await Cli.Run(args, err, TextWriter.Null), err.ToString());
    }

    [MountFact]
    public async Task A_read_only_output_folder_is_a_clear_error()
    {
        var dir = Mount("ro,size=1m");
        try
        {
            var (code, errors) = await Run(Path.Combine(dir, "study"));
            Assert.True(code is 2 or 3, $"exit {code}: {errors}");
            Assert.Contains(dir, errors);
        }
        finally { Unmount(dir); }
    }

    [MountFact]
    public async Task A_disk_that_fills_up_stops_the_run_cleanly_and_the_study_resumes_when_there_is_room()
    {
        // about a third of what the study writes (3.9 MB, most of it models): the prepared data and some trials fit
        var dir = Mount("size=1400k");
        try
        {
            var study = Path.Combine(dir, "study");
            var (code, errors) = await Run(study);
            Assert.True(code == 3, $"exit {code}: {errors}");
            Assert.Contains("No space left on device", errors);
            Assert.Contains(study, errors);
            // what was finished is whole: no temporary file left, every trial row readable
            Assert.Empty(Directory.GetFiles(study, "*.tmp-*", SearchOption.AllDirectories));
            var finished = Directory.GetFiles(Path.Combine(study, "trials"));
            Assert.NotEmpty(finished);   // the disk filled during the trials, not before
            foreach (var f in finished) Assert.True((await ParquetTable.Read<TrialRow>(f)).IsRight, f);
            Assert.Equal(0, Sh("mount", "-o", "remount,size=64m", dir));
            var (again, againErrors) = await Run(study);
            Assert.True(again == 0, $"resumed: exit {again}: {againErrors}");
            Assert.Equal(StudySignature.Of(smoke.Out), StudySignature.Of(study));
        }
        finally { Unmount(dir); }
    }
}
