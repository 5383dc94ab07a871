using System.Diagnostics;
using Lab.Pipeline;
using Lab.Pipeline.Io;
using Lab.Pipeline.Results;

namespace Lab.Tests;

/// <summary>A fact that is skipped, with the reason, where no Slurm controller answers (`.ci/slurm-up.sh` starts one).</summary>
public sealed class SlurmFactAttribute : FactAttribute
{
    public SlurmFactAttribute()
    {
        var state = SlurmTests.Shell("sinfo", "-h -o %t");
        if (state is null) Skip = "Slurm is not installed here (sinfo not found); .ci/slurm-up.sh installs and starts a single-node Slurm";
        else if (!state.Split('\n').Any(s => s.StartsWith("idle") || s.StartsWith("mix") || s.StartsWith("alloc")))
            Skip = $"no Slurm node is up (sinfo says '{state.Trim()}'); .ci/slurm-up.sh starts one";
    }
}

/// <summary>A smoke study submitted to a real single-node Slurm gathers the same results as `pipeline run`.</summary>
[Collection("smoke run")]
public class SlurmTests(SmokeRunFixture smoke)
{
    internal static string? Shell(string file, string args)
    {
        try
        {
            using var p = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true })!;
            var o = p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            return p.ExitCode == 0 ? o : null;
        }
        catch (System.ComponentModel.Win32Exception) { return null; }
    }

    [SlurmFact]
    public async Task A_study_submitted_to_slurm_gathers_the_same_results_as_pipeline_run()
    {
        var study = smoke.Out + "-slurm";
        Assert.Equal(0, await Cli.Run(["plan", "--domain", "lm", "--preset", "smoke", "--data", smoke.Data, "--out", study, "--seed", SmokeRunFixture.Seed.ToString(), "--quiet"]));
        var stdout = new StringWriter();
        int code = await Cli.Run(["submit", "--plan", Path.Combine(study, "plan.parquet"), "--slurm", "--cpus-per-task", "1", "--quiet"], stdout: stdout);
        Assert.Equal(0, code);
        var ids = stdout.ToString().Split('\n').Where(l => l.Contains(" job ")).Select(l => l.Split(' ')[^1].Trim()).ToArray();
        Assert.Equal(2, ids.Length);   // the first round's array and the job that submits the next round
        // the rounds chain themselves (each round's last job submits the next); the last one submits gather
        var clock = Stopwatch.StartNew();
        string? gatherLog = null;
        while (true)
        {
            gatherLog = Directory.Exists(Path.Combine(study, "slurm")) ? Directory.GetFiles(Path.Combine(study, "slurm"), "gather-*.out").FirstOrDefault() : null;
            if (gatherLog is not null && (await File.ReadAllTextAsync(gatherLog)).Contains("gather:")) break;
            Assert.True(clock.Elapsed < TimeSpan.FromMinutes(10), "the Slurm rounds did not finish within 10 minutes: " +
                string.Join(" | ", Directory.GetFiles(Path.Combine(study, "slurm"), "next-*.out").Select(File.ReadAllText)));
            await Task.Delay(1000);
        }
        var local = Rows(smoke.Out);
        Assert.Contains($"{local.Count}/{local.Count} trials finished, 0 missing, 0 failed; the search has concluded every shard", await File.ReadAllTextAsync(gatherLog));
        List<TrialRow> Rows(string dir) => ParquetTable.Read<TrialRow>(Path.Combine(dir, "trials.parquet")).GetAwaiter().GetResult()
            .Match(r => r.OrderBy(t => t.TrialId).ToList(), e => throw new Xunit.Sdk.XunitException(e.ToString()));
        var viaSlurm = Rows(study);
        Assert.Equal(local.Select(t => t.TrialId), viaSlurm.Select(t => t.TrialId));
        foreach (var (a, b) in local.Zip(viaSlurm))
        {
            Assert.Equal(a.ValCrossEntropy, b.ValCrossEntropy, 1e-9);
            Assert.Equal(a.OnnxSha256, b.OnnxSha256);
        }
        var fitLocal = (await ParquetTable.Read<FitRow>(Path.Combine(smoke.Out, "fits.parquet"))).Match(r => r, e => throw new Xunit.Sdk.XunitException(e.ToString()));
        var fitSlurm = (await ParquetTable.Read<FitRow>(Path.Combine(study, "fits.parquet"))).Match(r => r, e => throw new Xunit.Sdk.XunitException(e.ToString()));
        Assert.Equal(fitLocal.Select(f => (f.Curve, f.Family, f.Parameter, Math.Round(f.Value, 9))), fitSlurm.Select(f => (f.Curve, f.Family, f.Parameter, Math.Round(f.Value, 9))));
        Directory.Delete(study, true);
    }

    [Fact]
    public async Task Submit_dry_run_writes_the_first_rounds_array_the_next_round_job_and_a_gather_script()
    {
        var study = smoke.Out + "-dry";
        Assert.Equal(0, await Cli.Run(["plan", "--domain", "lm", "--preset", "smoke", "--data", smoke.Data, "--out", study, "--seed", "3", "--quiet"]));
        Assert.Equal(0, await Cli.Run(["submit", "--plan", Path.Combine(study, "plan.parquet"), "--slurm", "--dry-run", "--cpus-per-task", "2",
            "--max-parallel", "3", "--partition", "gpu", "--gpus-per-task", "1", "--time", "01:00:00", "--quiet"]));
        var trials = await File.ReadAllTextAsync(Path.Combine(study, "slurm", "trials.sbatch"));
        Assert.Contains("#SBATCH --array=0,1,2,3,4%3", trials);   // the first round: the start, one size down and up, half and twice the learning rate
        Assert.Contains("#SBATCH --cpus-per-task=2", trials);
        Assert.Contains("#SBATCH --gpus-per-task=1", trials);
        Assert.Contains("#SBATCH --partition=gpu", trials);
        Assert.Contains("#SBATCH --time=01:00:00", trials);
        Assert.Contains("trial --plan", trials);
        Assert.Contains("gather --plan", await File.ReadAllTextAsync(Path.Combine(study, "slurm", "gather.sbatch")));
        var next = await File.ReadAllTextAsync(Path.Combine(study, "slurm", "next.sbatch"));
        Assert.Contains("submit --plan", next);
        Assert.Contains("--max-parallel 3", next);
        Assert.Contains("--partition 'gpu'", next);
        // a trial run by index is idempotent: the second time it is skipped
        Assert.Equal(0, await Cli.Run(["trial", "--plan", Path.Combine(study, "plan.parquet"), "--index", "0", "--threads", "1", "--quiet"]));
        var file = Directory.GetFiles(Path.Combine(study, "trials")).Single();
        var stamp = File.GetLastWriteTimeUtc(file);
        Assert.Equal(0, await Cli.Run(["trial", "--plan", Path.Combine(study, "plan.parquet"), "--index", "0", "--threads", "1", "--quiet"]));
        Assert.Equal(stamp, File.GetLastWriteTimeUtc(file));
        // gather while trials are missing lists them and says so in its exit code
        Assert.Equal(1, await Cli.Run(["gather", "--plan", Path.Combine(study, "plan.parquet"), "--quiet"]));
        Assert.Single((await ParquetTable.Read<TrialRow>(Path.Combine(study, "trials.parquet"))).Match(r => r, e => throw new Xunit.Sdk.XunitException(e.ToString())));
        Directory.Delete(study, true);
    }
}
