using System.Diagnostics;

namespace Lab.Pipeline.Study;

/// <summary>
/// `run --jobs N`: a round's trials trained N at a time, each by a worker process running `pipeline trial --index i`
/// (the command a Slurm array task runs) with threads / N torch and ONNX Runtime threads. Processes, not threads: torch's
/// random generator is global to a process and every trial seeds it, so two trials in one process would draw from one
/// another's stream. The round is the search's, so the decisions and the trial ids are those of a sequential run; a
/// trial's numbers depend on its id and its thread count, which its row records (`threads`). The trial claims (locks/)
/// keep a worker and any other process from training one trial twice.
/// </summary>
public static class RoundWorkers
{
    /// <summary>Trains <paramref name="round"/>'s trials <paramref name="jobs"/> at a time; the number trained now, or the
    /// problem of the first worker that ended without a result (the others finish first; what finished is kept).</summary>
    public static async Task<Either<Problem, int>> Run(StudyFiles files, IReadOnlyList<PlanRow> round, int jobs, int threads, string provider,
        Reporter report, int total)
    {
        int each = Math.Max(1, threads / jobs);
        report.Line($"round of {round.Count} trials: {Math.Min(jobs, round.Count)} worker processes at once, {each} thread{(each == 1 ? "" : "s")} each");
        using var slots = new SemaphoreSlim(jobs);
        var running = new List<Process>();
        var tasks = round.Select(async row =>
        {
            await slots.WaitAsync();
            try
            {
                if (Interrupts.Requested) return (row, Code: -1, Errors: "");
                var worker = Start(files.Plan, row.Index, each, provider);
                lock (running) running.Add(worker);
                var stderr = worker.StandardError.ReadToEndAsync();
                var stdout = worker.StandardOutput.ReadToEndAsync();
                await worker.WaitForExitAsync();
                // the worker's last line is its trial's result line, numbered as in the plan
                var last = (await stdout).Trim().Split('\n')[^1].Trim();
                report.Line(last.StartsWith('[') ? last : $"[{row.Index + 1}/{total}] {row.TrialId}: {last}");
                return (row, Code: worker.ExitCode, Errors: (await stderr).Trim());
            }
            finally { slots.Release(); }
        }).ToList();
        using (Interrupts.Token.Register(() => { lock (running) foreach (var w in running) Kill(w); }))
            await Task.WhenAll(tasks);
        foreach (var w in running) w.Dispose();
        if (Interrupts.Requested)
            return StudyRunner.Stopped(files, "the round's workers were stopped, and the trials they were training were abandoned (nothing of them written)");
        // exit 0: trained or done before; 1: the trial failed and its row says why (the study goes on, as in one process)
        var ended = tasks.Select(t => t.Result).Where(r => r.Code is not (0 or 1)).OrderBy(r => r.row.Index).ToList();
        if (ended.Count > 0)
        {
            var (row, code, errors) = ended[0];
            return new Problem($"trial {row.Index} ({row.TrialId}: shard {row.ShardIndex}, {row.Model}, lr {row.LearningRate}): its worker exited with code {code}" +
                               (errors.Length > 0 ? $": {errors.Split('\n')[^1]}" : ""),
                $"run it alone to see why: pipeline trial --plan {files.Plan} --index {row.Index}") { ExitCode = code >= 2 ? code : 2 };
        }
        return tasks.Count(t => t.Result.Code is 0 or 1);
    }

    /// <summary>A worker: this build's `pipeline trial` (through the same dotnet host when run as a dll).</summary>
    static Process Start(string plan, int index, int threads, string provider)
    {
        var host = Environment.ProcessPath ?? "dotnet";
        var psi = new ProcessStartInfo(host) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(host) == "dotnet") psi.ArgumentList.Add(typeof(RoundWorkers).Assembly.Location);
        foreach (var a in new[] { "trial", "--plan", plan, "--index", index.ToString(CultureInfo.InvariantCulture), "--threads",
                     threads.ToString(CultureInfo.InvariantCulture), "--provider", provider, "--quiet" })
            psi.ArgumentList.Add(a);
        return Process.Start(psi) ?? throw new InvalidOperationException($"could not start {host}");
    }

    static void Kill(Process p)
    {
        try { if (!p.HasExited) p.Kill(entireProcessTree: true); }
        catch (InvalidOperationException) { }   // it ended meanwhile
    }
}
