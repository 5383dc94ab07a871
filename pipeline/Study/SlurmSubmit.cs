using System.Diagnostics;
using System.Globalization;
using System.Text;
using Lab.Pipeline.Io;
using Lab.Stages.Core;
using LanguageExt;

namespace Lab.Pipeline.Study;

/// <summary>The options of `pipeline submit --slurm`.</summary>
public sealed record SubmitOptions(string Plan, string? Partition, int CpusPerTask, int GpusPerTask, int MaxParallel, string? Time, bool DryRun, string? Command);

/// <summary>
/// Writes an sbatch job array over a plan (one task per trial, `pipeline trial --index $SLURM_ARRAY_TASK_ID`) and a
/// gather job that depends on it with afterany — so failed trials never leave it pending; gather itself lists what is
/// missing or failed — and submits both with sbatch.
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

    /// <summary>The two scripts (trials array, gather), written into &lt;study&gt;/slurm/.</summary>
    public static (string Trials, string Gather) Scripts(SubmitOptions o, int trials)
    {
        var files = StudyFiles.OfPlan(o.Plan);
        var log = Path.Combine(files.Dir, "slurm");
        var command = o.Command ?? DefaultCommand();
        var plan = Quote(Path.GetFullPath(o.Plan));
        string Header(string name, string output)
        {
            var sb = new StringBuilder("#!/bin/bash\n");
            sb.AppendLine($"#SBATCH --job-name={name}");
            sb.AppendLine($"#SBATCH --output={Path.Combine(log, output)}");
            sb.AppendLine($"#SBATCH --cpus-per-task={Math.Max(1, o.CpusPerTask)}");
            if (o.Partition is not null) sb.AppendLine($"#SBATCH --partition={o.Partition}");
            if (o.Time is not null) sb.AppendLine($"#SBATCH --time={o.Time}");
            return sb.ToString();
        }
        var t = new StringBuilder(Header("lab-trials", "trial-%A_%a.out"));
        t.AppendLine($"#SBATCH --array=0-{trials - 1}{(o.MaxParallel > 0 ? $"%{o.MaxParallel}" : "")}");
        if (o.GpusPerTask > 0) t.AppendLine($"#SBATCH --gpus-per-task={o.GpusPerTask}");
        t.AppendLine("set -euo pipefail");
        t.AppendLine($"exec {command} trial --plan {plan} --threads {Math.Max(1, o.CpusPerTask)}");
        var g = new StringBuilder(Header("lab-gather", "gather-%j.out"));
        g.AppendLine("set -euo pipefail");
        g.AppendLine($"exec {command} gather --plan {plan}");
        return (t.ToString(), g.ToString());
    }

    /// <summary>Writes the scripts and, unless a dry run, submits them; prints the job ids.</summary>
    public static async Task<Either<Problem, int>> Run(SubmitOptions o, Reporter report)
    {
        var plan = await ParquetTable.Read<PlanRow>(o.Plan);
        if (plan.IsLeft) return plan.Map(_ => 0);
        int n = plan.Match(p => p.Count, _ => 0);
        if (n == 0) return new Problem($"{o.Plan}: the plan has no trials");
        var dir = Path.Combine(StudyFiles.OfPlan(o.Plan).Dir, "slurm");
        Directory.CreateDirectory(dir);
        var (trials, gather) = Scripts(o, n);
        var trialsPath = Path.Combine(dir, "trials.sbatch");
        var gatherPath = Path.Combine(dir, "gather.sbatch");
        AtomicFile.WriteAllText(trialsPath, trials);
        AtomicFile.WriteAllText(gatherPath, gather);
        report.Line($"wrote {trialsPath} ({n} array tasks) and {gatherPath}");
        if (o.DryRun) return 0;
        var first = Sbatch(["--parsable", trialsPath]);
        if (first.IsLeft) return first.Map(_ => 0);
        var arrayId = first.Match(id => id, _ => "");
        var second = Sbatch(["--parsable", $"--dependency=afterany:{arrayId}", gatherPath]);
        if (second.IsLeft) return second.Map(_ => 0);
        var gatherId = second.Match(id => id, _ => "");
        report.Plain($"trials job {arrayId}");
        report.Plain($"gather job {gatherId}");
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
