using System.Diagnostics;
using Lab.Pipeline;
using Lab.Pipeline.Io;
using Lab.Pipeline.Results;
using Lab.Pipeline.Study;

namespace Lab.Tests.Faults;

/// <summary>One writer per study and no trial trained twice: a second run on a busy folder is refused (exit 4, naming
/// the holder); a lock left by a killed process is taken over; a worker finding its trial claimed waits for it and then
/// uses the result instead of training it again; SIGINT and SIGTERM end a run cleanly (the trial in training abandoned,
/// one line with what is kept and the command that resumes, 130/143, no temporary or orphan file) and it resumes to
/// the uninterrupted study.</summary>
[Collection("smoke run")]
public class ConcurrencyTests(SmokeRunFixture smoke)
{
    [System.Runtime.InteropServices.DllImport("libc", SetLastError = true)]
    static extern int kill(int pid, int sig);

    string[] ArgsFor(string outDir) => smoke.Args.Select(a => a == smoke.Out ? outDir : a).ToArray();

    static string NewDir(string what) => Path.Combine(Path.GetTempPath(), $"lab-{what}-{Guid.NewGuid():N}");

    static Process Start(IEnumerable<string> args) => Child.Start(args);

    static bool Until(Func<bool> condition, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < limit) { if (condition()) return true; Thread.Sleep(20); }
        return condition();
    }

    [Fact]
    public async Task A_busy_study_folder_refuses_a_second_run_and_a_killed_holders_lock_is_taken_over()
    {
        Assert.Equal(0, smoke.ExitCode);
        var study = NewDir("busy");
        // this process holds the study lock, as a running `pipeline run` would
        using (var held = FolderLock.TryTake(FolderLock.PathOf(study, "study"), "run").Match(l => l, h => throw new Exception(h)))
        {
            var err = new StringWriter();
            int code = await Cli.Run(ArgsFor(study), err, TextWriter.Null);
            Assert.True(code == 4, $"exit {code}: {err}");
            Assert.Contains($"process {Environment.ProcessId}", err.ToString());
            Assert.False(Directory.Exists(Path.Combine(study, "trials")));   // nothing planned or trained
        }
        // a child holding the lock is killed (SIGKILL) while it runs; the next run takes the lock over and finishes the study
        var trials = Path.Combine(study, "trials");
        using (var child = Start(ArgsFor(study)))
        {
            Assert.True(Until(() => Directory.Exists(trials) && Directory.GetFiles(trials).Length >= 2, TimeSpan.FromMinutes(2)), "the child trained nothing");
            child.Kill(entireProcessTree: true);
            child.WaitForExit();
        }
        Assert.True(File.Exists(Path.Combine(study, FolderLock.Folder, "study.owner")), "a killed holder leaves its owner file");
        var err2 = new StringWriter();
        int again = await Cli.Run(ArgsFor(study), err2, TextWriter.Null);
        Assert.True(again == 0, $"exit {again}: {err2}");
        Assert.False(File.Exists(Path.Combine(study, FolderLock.Folder, "study.owner")), "the lock was not released");
        Assert.Equal(StudySignature.Of(smoke.Out), StudySignature.Of(study));
        Directory.Delete(study, true);
    }

    [Fact]
    public async Task A_worker_that_finds_its_trial_claimed_waits_and_never_trains_it_twice()
    {
        Assert.Equal(0, smoke.ExitCode);
        var study = NewDir("claim");
        var plan = Path.Combine(study, "plan.parquet");
        Assert.Equal(0, await Cli.Run(["plan", "--domain", "lm", "--preset", "smoke", "--data", smoke.Data, "--out", study, "--seed", SmokeRunFixture.Seed.ToString(), "--quiet"]));
        var row = (await ParquetTable.Read<PlanRow>(plan)).Match(r => r[0], e => throw new Exception(e.ToString()));
        var result = Path.Combine(study, "trials", $"{row.TrialId}.parquet");
        // another worker (this process) has claimed trial 0: a `trial` job for it waits, trains nothing, writes nothing
        var claim = FolderLock.TryTake(FolderLock.PathOf(study, row.TrialId), "trial 0").Match(l => l, h => throw new Exception(h));
        using var worker = Start(["trial", "--plan", plan, "--index", "0", "--threads", "1"]);
        Assert.False(worker.WaitForExit(TimeSpan.FromSeconds(6)), "the worker did not wait for the claimed trial");
        Assert.False(File.Exists(result));
        // the claimant finishes the trial (here: another worker trains it) and lets go; the waiting worker reads its result
        claim.Dispose();
        worker.WaitForExit();
        var stdout = worker.StandardOutput.ReadToEnd();
        Assert.True(worker.ExitCode == 0, stdout + worker.StandardError.ReadToEnd());
        Assert.Contains("waiting for its result", stdout);
        var written = File.GetLastWriteTimeUtc(result);
        // two workers at once for the same trial: the result is written once (the second finds it done)
        using var a = Start(["trial", "--plan", plan, "--index", "1", "--threads", "1"]);
        using var b = Start(["trial", "--plan", plan, "--index", "1", "--threads", "1"]);
        a.WaitForExit(); b.WaitForExit();
        var outs = new[] { a.StandardOutput.ReadToEnd(), b.StandardOutput.ReadToEnd() };
        Assert.True(a.ExitCode == 0 && b.ExitCode == 0, string.Join("\n", outs));
        Assert.Equal(1, outs.Count(o => o.Contains("done before")));
        Assert.Equal(written, File.GetLastWriteTimeUtc(result));   // trial 0 untouched by the others
        Directory.Delete(study, true);
    }

    [Fact]
    public async Task Rounds_run_by_worker_processes_give_the_study_of_one_process()
    {
        // --jobs 2 with 2 threads: each worker trains with 1 thread, as the smoke run does, so every number is the same
        Assert.Equal(0, smoke.ExitCode);
        var study = NewDir("jobs");
        var args = ArgsFor(study).ToList();
        args[args.IndexOf("--threads") + 1] = "2";
        var output = new StringWriter(); var err = new StringWriter();
        int code = await Cli.Run([.. args.Where(a => a != "--quiet"), "--jobs", "2"], err, output);
        Assert.True(code == 0, $"exit {code}: {err}");
        Assert.Equal(StudySignature.Of(smoke.Out), StudySignature.Of(study));
        var rows = (await ParquetTable.Read<TrialRow>(Path.Combine(study, "trials.parquet"))).Match(r => r, e => throw new Exception(e.ToString()));
        // a round of several trials ran in workers with 1 thread each; a lone trial in the run's own process with both
        Assert.All(rows.GroupBy(r => (r.Family, r.ShardIndex, r.Round)), g => Assert.All(g, r => Assert.Equal(g.Count() > 1 ? 1 : 2, r.Threads)));
        Assert.Contains(rows, r => r.Threads == 1);
        Assert.Empty(Directory.GetFiles(study, "*.tmp-*", SearchOption.AllDirectories));
        Directory.Delete(study, true);
    }

    [Theory]
    [InlineData(15, 143)]
    [InlineData(2, 130)]
    public async Task A_signal_stops_the_run_cleanly_and_it_resumes_to_the_uninterrupted_study(int signal, int expected)
    {
        Assert.Equal(0, smoke.ExitCode);
        var study = NewDir("signal");
        var trials = Path.Combine(study, "trials");
        using (var child = Start(ArgsFor(study)))
        {
            var stderr = child.StandardError.ReadToEndAsync();
            Assert.True(Until(() => Directory.Exists(trials) && Directory.GetFiles(trials).Length >= 3, TimeSpan.FromMinutes(2)), "no trial finished");
            Assert.Equal(0, kill(child.Id, signal));
            Assert.True(child.WaitForExit(TimeSpan.FromMinutes(1)), "the run did not stop");
            var errors = await stderr;
            Assert.True(child.ExitCode == expected, $"exit {child.ExitCode}: {errors}");
            var line = errors.Split('\n').Single(l => l.StartsWith("error: SIG", StringComparison.Ordinal));
            Assert.Contains("trial results are kept in", line);
            Assert.Contains($"resume with: pipeline run", line);
            Assert.Contains(study, line);
        }
        Assert.Empty(Directory.GetFiles(study, "*.tmp-*", SearchOption.AllDirectories));
        // no orphan: every model file has its trial row
        var rows = Directory.GetFiles(trials).Select(Path.GetFileNameWithoutExtension).ToHashSet();
        Assert.All(Directory.GetFiles(Path.Combine(study, "models")), m => Assert.Contains(Path.GetFileNameWithoutExtension(m), rows));
        Assert.Equal(0, await Cli.Run(ArgsFor(study)));
        Assert.Equal(StudySignature.Of(smoke.Out), StudySignature.Of(study));
        Directory.Delete(study, true);
    }
}
