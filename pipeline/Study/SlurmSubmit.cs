using System.Diagnostics;
using System.Text;

namespace Lab.Pipeline.Study;

/// <summary>The options of `pipeline submit --slurm`.</summary>
public sealed record SubmitOptions(string Plan, string? Partition, int CpusPerTask, int GpusPerTask, int MaxParallel, string? Time, bool DryRun, string? Command);

/// <summary>
/// Runs the best-fit search on Slurm, one round at a time: `submit` advances the search (appending the round's trials
/// to plan.parquet), writes and submits a job array over exactly those trials (`pipeline trial --index
/// $SLURM_ARRAY_TASK_ID`) and a dependent job (afterany, so failed trials never leave it pending) that runs this same
/// `submit` again for the next round. When the search has concluded every shard, `submit` submits the gather job
/// instead. Every step is idempotent: a round that is submitted twice trains nothing twice.
/// </summary>
public static class SlurmSubmit
{
    /// <summary>How jobs start the pipeline: `dotnet path/pipeline.dll` of this build, unless given.</summary>
    public static string DefaultCommand()
    {
        var dll = typeof(SlurmSubmit).Assembly.Location;
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (string.IsNullOrEmpty(dotnet) || !File.Exists(dotnet)) dotnet = "dotnet";
        return $"{Quote(dotnet)} {Quote(dll)}";
    }

    static string Quote(string s) => "'" + s.Replace("'", "'\\''") + "'";

    /// <summary>The three scripts of a round (its trial array over <paramref name="indices"/>, the job that submits the
    /// next round, the gather job), written into &lt;study&gt;/slurm/.</summary>
    public static (string Trials, string Next, string Gather) Scripts(SubmitOptions o, IReadOnlyList<int> indices)
    {
        var files = StudyFiles.OfPlan(o.Plan);
        var log = Path.Combine(files.Dir, "slurm");
        var command = o.Command ?? DefaultCommand();
        var plan = Quote(Path.GetFullPath(o.Plan));
        string Header(string name, string output, int cpus)
        {
            var sb = new StringBuilder("#!/bin/bash\n");
            sb.AppendLine($"#SBATCH --job-name={name}");
            sb.AppendLine($"#SBATCH --output={Path.Combine(log, output)}");
            sb.AppendLine($"#SBATCH --cpus-per-task={cpus}");
            if (o.Partition is not null) sb.AppendLine($"#SBATCH --partition={o.Partition}");
            if (o.Time is not null) sb.AppendLine($"#SBATCH --time={o.Time}");
            return sb.ToString();
        }
        int cpus = Math.Max(1, o.CpusPerTask);
        var t = new StringBuilder(Header("lab-trials", "trial-%A_%a.out", cpus));
        t.AppendLine($"#SBATCH --array={string.Join(',', indices)}{(o.MaxParallel > 0 ? $"%{o.MaxParallel}" : "")}");
        if (o.GpusPerTask > 0) t.AppendLine($"#SBATCH --gpus-per-task={o.GpusPerTask}");
        t.AppendLine("set -euo pipefail");
        t.AppendLine($"exec {command} trial --plan {plan} --threads {cpus}");
        var n = new StringBuilder(Header("lab-next", "next-%j.out", 1));
        n.AppendLine("set -euo pipefail");
        var again = new List<string> { "submit", "--plan", plan, "--slurm", "--cpus-per-task", cpus.ToString(CultureInfo.InvariantCulture),
            "--gpus-per-task", o.GpusPerTask.ToString(CultureInfo.InvariantCulture), "--max-parallel", o.MaxParallel.ToString(CultureInfo.InvariantCulture),
            "--command", Quote(command) };
        if (o.Partition is not null) again.AddRange(["--partition", Quote(o.Partition)]);
        if (o.Time is not null) again.AddRange(["--time", Quote(o.Time)]);
        n.AppendLine($"exec {command} {string.Join(' ', again)}");
        var g = new StringBuilder(Header("lab-gather", "gather-%j.out", cpus));
        g.AppendLine("set -euo pipefail");
        g.AppendLine($"exec {command} gather --plan {plan}");
        return (t.ToString(), n.ToString(), g.ToString());
    }

    /// <summary>Advances the search and submits its next round (or, when it has concluded, the gather job); prints the job ids.</summary>
    public static Task<Either<Problem, int>> Run(SubmitOptions o, Reporter report)
    {
        var files = StudyFiles.OfPlan(o.Plan);
        return StudyRunner.Exclusive(files.Dir, "submit", report, TimeSpan.FromMinutes(10), () => StudyRunner.Advance(files, report))
            .ToAsync().Bind(a => Submit(o, files, a.Next, a.Total, report).ToAsync()).ToEither();
    }

    /// <summary>Writes the round's scripts and submits them: the trials' array and the next round after it, or the
    /// gather job when the search has concluded (only the scripts with --dry-run).</summary>
    static Either<Problem, int> Submit(SubmitOptions o, StudyFiles files, List<PlanRow> next, int total, Reporter report)
    {
        var dir = Path.Combine(files.Dir, "slurm");
        Directory.CreateDirectory(dir);
        var (trials, chain, gather) = Scripts(o, next.Select(r => r.Index).ToList());
        var gatherPath = Path.Combine(dir, "gather.sbatch");
        AtomicFile.WriteAllText(gatherPath, gather);
        if (next.Count == 0)
        {
            report.Line($"the search has concluded every shard ({total} trials): wrote {gatherPath}");
            return o.DryRun ? 0 : Sbatch(["--parsable", gatherPath]).Map(id => Submitted(report, ("gather", id)));
        }
        var trialsPath = Path.Combine(dir, "trials.sbatch");
        var nextPath = Path.Combine(dir, "next.sbatch");
        AtomicFile.WriteAllText(trialsPath, trials);
        AtomicFile.WriteAllText(nextPath, chain);
        report.Line($"wrote {trialsPath} ({next.Count} array tasks: trials {string.Join(", ", next.Select(r => r.Index))} of {total}), {nextPath} and {gatherPath}");
        if (o.DryRun) return 0;
        return from arrayId in Sbatch(["--parsable", trialsPath])
               from nextId in Sbatch(["--parsable", $"--dependency=afterany:{arrayId}", nextPath])
               select Submitted(report, ("trials", arrayId), ("next-round", nextId));
    }

    /// <summary>Prints the submitted jobs' ids, one line each (scripts read them); exit code 0.</summary>
    static int Submitted(Reporter report, params (string What, string Id)[] jobs)
    {
        foreach (var (what, id) in jobs) report.Plain($"{what} job {id}");
        return 0;
    }

    static Either<Problem, string> Sbatch(string[] args)
    {
        try
        {
            var psi = new ProcessStartInfo("sbatch") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in args) psi.ArgumentList.Add(a);
            using var p = Process.Start(psi)!;
            var stdout = p.StandardOutput.ReadToEnd(); var stderr = p.StandardError.ReadToEnd();
            p.WaitForExit();
            if (p.ExitCode != 0) return new Problem($"sbatch {string.Join(' ', args)} failed: {stderr.Trim()}");
            var id = stdout.Trim().Split(';')[0];
            return int.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out _) ? id : new Problem($"sbatch printed '{stdout.Trim()}', not a job id");
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return new Problem("sbatch is not on PATH", "run on a Slurm login node, or use --dry-run to only write the scripts");
        }
    }
}
