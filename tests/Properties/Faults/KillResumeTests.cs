namespace Lab.Tests.Faults;

/// <summary>kill -9 at random moments of a study, then resume: the finished study equals an uninterrupted one, trial
/// for trial, model file for model file (SHA-256), curve point for curve point.</summary>
[Collection("smoke run")]
public class KillResumeTests(SmokeRunFixture smoke)
{
    [Fact]
    public void A_study_killed_ten_times_resumes_to_the_uninterrupted_result()
    {
        Assert.Equal(0, smoke.ExitCode);
        var outDir = Path.Combine(Path.GetTempPath(), $"lab-kill-{Guid.NewGuid():N}");
        var refDir = outDir + "-reference";
        var args = smoke.Args.Select(a => a == smoke.Out ? outDir : a).ToList();
        // the uninterrupted study, in a child process like the killed ones; its duration scales the kill moments
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var (refCode, refErrors) = Child.Run(smoke.Args.Select(a => a == smoke.Out ? refDir : a));
        Assert.True(refCode == 0, $"the reference run failed: {refErrors}");
        double whole = clock.Elapsed.TotalSeconds;
        var rng = new Random(20261124);
        var trials = Path.Combine(outDir, "trials");
        int Done() => Directory.Exists(trials) ? Directory.GetFiles(trials, "*.parquet").Length : 0;
        int total = Directory.GetFiles(Path.Combine(refDir, "trials"), "*.parquet").Length;
        int kills = 0, attempts = 0;
        var moments = new List<string>();
        while (kills < 10 && attempts++ < 40)
        {
            // a random moment: the first two during start-up and planning, the others a random time after the next trial
            // has finished (into the next one's training, export, evaluation or the writing of its results), so the
            // kills walk through the whole study
            int target = Math.Min(total, Done() + 1);
            var delay = TimeSpan.FromSeconds(kills < 2 ? 0.2 + 0.8 * rng.NextDouble() : rng.NextDouble() * Math.Max(0.5, whole / total));
            var (code, errors) = kills < 2 ? Child.Run(args, delay) : Child.Run(args, () => Done() >= target, delay);
            if (code is null) { kills++; moments.Add($"{Done()} trials done"); continue; }
            Assert.True(code == 0, $"a resumed run failed (exit {code}): {errors}");
            break;   // the study finished before the kill: nothing more to interrupt
        }
        Assert.True(kills >= 10, $"only {kills} kills landed before the study finished ({string.Join(", ", moments)})");
        // the kills fell at different stages of the study, not all before its first trial
        Assert.True(moments.Distinct().Count() >= 3, string.Join(", ", moments));
        var (final, finalErrors) = Child.Run(args);
        Assert.True(final == 0, $"the final run failed (exit {final}): {finalErrors}");
        Assert.Equal(StudySignature.Of(refDir), StudySignature.Of(outDir));
        Assert.Equal(StudySignature.Of(smoke.Out), StudySignature.Of(outDir));
        Directory.Delete(outDir, true); Directory.Delete(refDir, true);
    }
}
