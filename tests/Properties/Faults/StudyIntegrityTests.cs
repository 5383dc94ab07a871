using Lab.Pipeline;
using Lab.Pipeline.Io;
using Lab.Pipeline.Study;

namespace Lab.Tests.Faults;

/// <summary>A study folder belongs to one data set, preset and seed: a run with changed data (or another preset or
/// seed) is refused before anything is written, naming both fingerprints; --start-over keeps the old study aside; an
/// --out inside the --data folder is refused; tables rewritten by DuckDB are read, damaged ones are named by column.</summary>
[Collection("smoke run")]
public class StudyIntegrityTests(SmokeRunFixture smoke)
{
    static string CopyOf(string dir, string what) => Child.CopyOf(dir, what);

    static Dictionary<string, byte[]> Snapshot(string dir)
        => Directory.GetFiles(dir, "*", SearchOption.AllDirectories).Where(f => !f.Contains($"{Path.DirectorySeparatorChar}{FolderLock.Folder}{Path.DirectorySeparatorChar}"))
            .ToDictionary(f => Path.GetRelativePath(dir, f), File.ReadAllBytes);

    async Task<(int Code, string Errors)> Run(string data, string outDir, params string[] more)
    {
        var err = new StringWriter();
        var args = smoke.Args.Select(a => a == smoke.Out ? outDir : a == smoke.Data ? data : a).Concat(more).ToArray();
        return (await Cli.Run(args, err, TextWriter.Null), err.ToString());
    }

    [Fact]
    public async Task Changed_data_is_refused_with_both_fingerprints_and_start_over_keeps_the_old_study_aside()
    {
        Assert.Equal(0, smoke.ExitCode);
        var data = CopyOf(smoke.Data, "data");
        var study = CopyOf(smoke.Out, "study");
        var before = Snapshot(study);
        string old = (await ParquetTable.Read<PlanRow>(Path.Combine(study, "plan.parquet"))).Match(r => r[0].DataFingerprint, e => throw new Exception(e.ToString()));
        File.AppendAllText(Path.Combine(data, "slice.txt"), "\nA few more lines of text were added to the corpus after the study was planned.\n");

        var (code, errors) = await Run(data, study);
        Assert.True(code == 2, $"exit {code}: {errors}");
        Assert.Contains(old, errors);
        Assert.Contains("--start-over", errors);
        Assert.Equal(before.Keys.Order(), Snapshot(study).Keys.Order());
        foreach (var (f, bytes) in Snapshot(study)) Assert.True(bytes.SequenceEqual(before[f]), $"{f} changed");   // nothing touched

        // the other commands that plan refuse too, and a different seed or preset as well
        Assert.Equal(2, await Cli.Run(["plan", "--domain", "lm", "--preset", "smoke", "--data", data, "--out", study, "--seed", SmokeRunFixture.Seed.ToString(), "--quiet"], new StringWriter(), TextWriter.Null));
        var seedErr = new StringWriter();
        int seedCode = await Cli.Run(["run", "--domain", "lm", "--preset", "smoke", "--data", smoke.Data, "--out", study, "--threads", "1", "--quiet", "--seed", "4"], seedErr, TextWriter.Null);
        var seedErrors = seedErr.ToString();
        Assert.True(seedCode == 2 && seedErrors.Contains("seed 3, not 4"), $"exit {seedCode}: {seedErrors}");

        var (over, overErrors) = await Run(data, study, "--start-over");
        Assert.True(over == 0, $"exit {over}: {overErrors}");
        var aside = Directory.GetDirectories(Path.Combine(study, StudyFiles.SupersededFolder)).Single();
        foreach (var (f, bytes) in before) Assert.True(File.ReadAllBytes(Path.Combine(aside, f)).SequenceEqual(bytes), $"{f} was not kept aside as it was");
        var plan = (await ParquetTable.Read<PlanRow>(Path.Combine(study, "plan.parquet"))).Match(r => r, e => throw new Exception(e.ToString()));
        Assert.All(plan, r => Assert.NotEqual(old, r.DataFingerprint));
        Assert.Single(plan.Select(r => r.DataFingerprint).Distinct());
        var trials = (await ParquetTable.Read<Lab.Pipeline.Results.TrialRow>(Path.Combine(study, "trials.parquet"))).Match(r => r, e => throw new Exception(e.ToString()));
        Assert.All(trials, t => Assert.Equal(plan[0].DataFingerprint, t.DataFingerprint));
        Directory.Delete(data, true); Directory.Delete(study, true);
    }

    [Fact]
    public async Task An_out_folder_inside_the_data_folder_is_refused_and_nothing_is_written()
    {
        var data = CopyOf(smoke.Data, "data");
        var before = Directory.GetFileSystemEntries(data, "*", SearchOption.AllDirectories).Order().ToList();
        foreach (var outDir in new[] { Path.Combine(data, "study"), data, Path.Combine(data, "a", "b") })
        {
            var (code, errors) = await Run(data, outDir);
            Assert.True(code == 2, $"{outDir}: exit {code}: {errors}");
            Assert.Contains("inside the --data folder", errors);
            Assert.Equal(before, Directory.GetFileSystemEntries(data, "*", SearchOption.AllDirectories).Order().ToList());
        }
        Directory.Delete(data, true);
    }

    [DuckDbFact]
    public async Task Tables_rewritten_by_DuckDB_are_read_and_a_missing_or_wrong_column_is_named()
    {
        var study = CopyOf(smoke.Out, "duck");
        var trial = Directory.GetFiles(Path.Combine(study, "trials")).Order(StringComparer.Ordinal).First();
        foreach (var f in new[] { Path.Combine(study, "plan.parquet"), Path.Combine(study, "space.parquet"), trial })
            Rewrite(f, f, "*");
        Assert.True((await ParquetTable.Read<PlanRow>(Path.Combine(study, "plan.parquet"))).IsRight);
        var (code, errors) = await Run(smoke.Data, study);
        Assert.True(code == 0, $"exit {code}: {errors}");
        Assert.Equal(StudySignature.Of(smoke.Out), StudySignature.Of(study));   // nothing retrained, nothing lost

        var plan = Path.Combine(study, "plan.parquet");
        var original = Path.Combine(smoke.Out, "plan.parquet");
        foreach (var (select, column, what) in new[] { ("* exclude (seed)", "'seed'", "missing"), ("* replace ('x' as learning_rate)", "'learning_rate'", "not a number"),
                     ("* replace (null::integer as shard_index)", "'shard_index'", "null") })
        {
            Rewrite(original, plan, select);
            var err = new StringWriter();
            int c = await Cli.Run(["trial", "--plan", plan, "--index", "0", "--quiet"], err, TextWriter.Null);
            Assert.True(c == 2, $"{select}: exit {c}: {err}");
            Assert.Contains(plan, err.ToString());
            Assert.Contains(column, err.ToString());
            Assert.Contains(what, err.ToString());
        }
        Directory.Delete(study, true);
    }

    static void Rewrite(string input, string output, string select)
    {
        var tmp = output + ".duck";
        var psi = new System.Diagnostics.ProcessStartInfo("node") { RedirectStandardError = true };
        foreach (var a in new[] { Path.Combine(DuckDbFactAttribute.Dir, "rewrite.mjs"), input, tmp, select }) psi.ArgumentList.Add(a);
        using var p = System.Diagnostics.Process.Start(psi)!;
        var err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, err);
        File.Move(tmp, output, overwrite: true);
    }
}
