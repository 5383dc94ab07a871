using Lab.Pipeline;
using Lab.Pipeline.Io;
using Lab.Pipeline.Results;
using Lab.Stages.Domains.Lm;
using Lab.Stages.Language;
using Lab.Stages.Evaluate;

namespace Lab.Tests;

/// <summary>The smoke preset end to end on a slice of the shipped corpus, then a resume after a simulated kill.</summary>
[Collection("smoke run")]
public class EndToEndTests(SmokeRunFixture smoke)
{
    static List<T> Rows<T>(string path) where T : class, new()
        => ParquetTable.Read<T>(path).GetAwaiter().GetResult().Match(r => r, e => throw new Xunit.Sdk.XunitException(e.ToString()));

    [Fact]
    public async Task Smoke_run_writes_results_that_onnx_runtime_reproduces_and_resumes_without_retraining()
    {
        Assert.Equal(0, smoke.ExitCode);
        var outDir = smoke.Out;
        var trials = Rows<TrialRow>(Path.Combine(outDir, "trials.parquet"));
        var preset = Lab.Pipeline.Domains.Lm.LmRunner.Presets.Smoke;
        var plan = Rows<Lab.Pipeline.Study.PlanRow>(Path.Combine(outDir, "plan.parquet"));
        Assert.Equal(plan.Count, trials.Count);
        Assert.All(trials, t => Assert.Equal("ok", t.Status));
        Assert.All(trials, t => Assert.True(Math.Abs(t.OrtTorchGap) < 1e-4, $"ORT−torch gap {t.OrtTorchGap}"));
        // where a trial's time went: its parts are recorded and add up to no more than the whole
        Assert.All(trials, t => Assert.True(t.TrainSeconds > 0 && t.ValidationSeconds > 0 && t.ExportSeconds > 0 && t.EvaluateSeconds > 0
            && t.TrainSeconds + t.ValidationSeconds + t.ExportSeconds + t.EvaluateSeconds <= t.TrialSeconds,
            $"train {t.TrainSeconds}, validation {t.ValidationSeconds}, export {t.ExportSeconds}, evaluate {t.EvaluateSeconds}, trial {t.TrialSeconds}"));
        var curve = Rows<CurveRow>(Path.Combine(outDir, "curve.parquet"));
        Assert.Equal(preset.Shards.MinShards, curve.Count);   // the slice holds exactly the smoke ladder's three shards (2k, 4k, 8k tokens)
        Assert.All(curve, c => Assert.Equal(preset.Search.Seeds, c.Seeds));
        var fits = Rows<FitRow>(Path.Combine(outDir, "fits.parquet"));
        Assert.Contains(fits, f => f.Parameter == "beta" && f.Chosen && f.Curve == "lm:val_cross_entropy");
        // three shards leave the three-parameter power law + floor no point to spare: not fitted, and the row says why
        Assert.Contains(fits, f => f.Family == "power-irreducible" && f.Status == "skipped" && f.Reason.Contains("point to spare"));
        Assert.Equal(curve.Count, Rows<PredictionRow>(Path.Combine(outDir, "predictions.parquet")).Count);
        Assert.True(File.Exists(Path.Combine(outDir, "plots", "lm_val_cross_entropy.png")));

        // the archived ONNX file alone (with its metadata) reproduces the recorded validation metric
        var best = trials.OrderBy(t => t.ValCrossEntropy).First();
        var bytes = await File.ReadAllBytesAsync(Path.Combine(outDir, best.OnnxPath));
        Assert.Equal(best.OnnxSha256, Lab.Stages.Core.Hashing.Sha256(bytes));
        var docs = TextCorpus.Load(smoke.Data).Match(d => d.ToList(), e => throw new Xunit.Sdk.XunitException(e.ToString()));
        var prepared = LmData.Prepare(docs, preset, SmokeRunFixture.Seed, Tokenizer.Units).Match(d => d, e => throw new Xunit.Sdk.XunitException(e.ToString()));
        using var session = OrtSessions.Open(bytes, 1);
        Assert.Equal(prepared.Fingerprint, session.ModelMetadata.CustomMetadataMap["data_fingerprint"]);
        Assert.Equal(prepared.Vocab.Hash, session.ModelMetadata.CustomMetadataMap["vocab_sha256"]);
        var again = LmOrtEval.CrossEntropy(session, prepared.Val, preset.SeqLen, preset.EvalBatch);
        Assert.True(Math.Abs(again.Nats - best.ValCrossEntropy) <= 1e-5 * best.ValCrossEntropy, $"{again.Nats} vs {best.ValCrossEntropy}");
    }

    [Fact]
    public void The_space_holds_a_reserve_around_the_preset_s_ladders_and_a_walk_trains_it_only_where_it_grew()
    {
        Assert.Equal(0, smoke.ExitCode);
        var preset = Lab.Pipeline.Domains.Lm.LmRunner.Presets.Smoke;
        var space = Rows<Lab.Pipeline.Study.PlanRow>(Path.Combine(smoke.Out, "space.parquet"));
        var models = preset.Models.Where(m => m.Arch == "lstm").Select(m => m.Name).ToHashSet();
        var rates = preset.LearningRates.ToHashSet();
        // the preset's rows are exactly the preset's models × rates; the reserve one width step beyond each end and one
        // rate beyond each end (smoke: widths 8–32 → 4 and 64; rates 0.0025–0.01 → 0.00125 and 0.02)
        Assert.All(space, r => Assert.Equal(!(models.Contains(r.Model) && rates.Contains(r.LearningRate)), r.Reserve));
        Assert.Equal(["lstm-e4-h4-l1-d0", "lstm-e64-h64-l1-d0"], space.Where(r => !models.Contains(r.Model)).Select(r => r.Model).Distinct().Order(StringComparer.Ordinal));
        Assert.Equal([0.00125, 0.02], space.Where(r => !rates.Contains(r.LearningRate)).Select(r => r.LearningRate).Distinct().Order());
        // a reserve trial is asked for only once the walk grew its ladder there, and the point says so
        var plan = Rows<Lab.Pipeline.Study.PlanRow>(Path.Combine(smoke.Out, "plan.parquet"));
        var curve = Rows<CurveRow>(Path.Combine(smoke.Out, "curve.parquet"));
        foreach (var shard in plan.Where(p => p.Reserve).Select(p => p.ShardIndex).Distinct())
            Assert.NotEqual("", curve.Single(c => c.ShardIndex == shard).Grown);
        var reserveModels = space.Where(r => !models.Contains(r.Model)).Select(r => r.Model).Distinct().ToList();
        Assert.All(curve.Where(c => c.Grown.Length > 0), c => Assert.True(reserveModels.Any(c.Grown.Contains) || c.Grown.Contains("learning rates"), c.Grown));
    }

    [Fact]
    public async Task A_killed_run_resumes_without_retraining_finished_trials()
    {
        // a copy of the finished run, as if killed after most trials: the gathered tables and two trials are gone
        var outDir = smoke.Out + "-resume";
        CopyDirectory(smoke.Out, outDir);
        var trialFiles = Directory.GetFiles(Path.Combine(outDir, "trials"), "*.parquet").OrderBy(f => f).ToArray();
        var stamps = trialFiles.ToDictionary(f => f, File.GetLastWriteTimeUtc);
        var before = Rows<TrialRow>(Path.Combine(outDir, "trials.parquet"));
        File.Delete(Path.Combine(outDir, "trials.parquet"));
        File.Delete(trialFiles[0]); File.Delete(trialFiles[1]);
        await Task.Delay(20);
        string[] args = [.. smoke.Args];
        args[Array.IndexOf(args, "--out") + 1] = outDir;
        Assert.Equal(0, await Cli.Run(args));
        foreach (var f in trialFiles.Skip(2)) Assert.Equal(stamps[f], File.GetLastWriteTimeUtc(f));
        Assert.True(File.Exists(trialFiles[0]) && File.Exists(trialFiles[1]));
        var resumed = Rows<TrialRow>(Path.Combine(outDir, "trials.parquet"));
        Assert.Equal(before.Select(t => t.TrialId).Order(), resumed.Select(t => t.TrialId).Order());
        // retrained trials are deterministic for the seed: the same metric again
        foreach (var r in resumed) Assert.Equal(before.Single(b => b.TrialId == r.TrialId).ValCrossEntropy, r.ValCrossEntropy, 1e-9);
        Assert.Empty(Directory.GetFiles(outDir, "*.tmp-*", SearchOption.AllDirectories));
        Directory.Delete(outDir, true);
    }

    internal static void CopyDirectory(string from, string to)
    {
        foreach (var d in Directory.GetDirectories(from, "*", SearchOption.AllDirectories)) Directory.CreateDirectory(d.Replace(from, to));
        Directory.CreateDirectory(to);
        foreach (var f in Directory.GetFiles(from, "*", SearchOption.AllDirectories)) File.Copy(f, f.Replace(from, to), true);
    }

    [Theory]
    [InlineData("run --domain nope --preset smoke", "unknown domain")]
    [InlineData("run --domain lm --preset huge", "unknown preset")]
    [InlineData("run --domain lm --preset smoke --data /nonexistent/corpus.txt", "/nonexistent/corpus.txt")]
    [InlineData("run --domain lm --preset smoke --device tpu", "unknown device")]
    public async Task Bad_input_is_exit_code_2_with_a_message_naming_it(string line, string expected)
    {
        var err = new StringWriter();
        var outDir = Path.Combine(Path.GetTempPath(), $"lab-bad-{Guid.NewGuid():N}");
        int code = await Cli.Run([.. line.Split(' '), "--out", outDir], err);
        bool left = Directory.Exists(outDir);
        if (left) Directory.Delete(outDir, true);
        Assert.Equal(2, code);
        Assert.Contains(expected, err.ToString());
        Assert.False(left, "a refused command left its (empty) output folder behind");
    }

    [Fact]
    public async Task A_corpus_too_small_for_the_preset_is_exit_code_2_naming_the_file()
    {
        var dir = Path.Combine(Path.GetTempPath(), $"lab-tiny-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        var file = Path.Combine(dir, "tiny.txt");
        await File.WriteAllTextAsync(file, "Only a few words here.\n\nAnd here.");
        var err = new StringWriter();
        int code = await Cli.Run(["run", "--domain", "lm", "--preset", "smoke", "--data", file, "--out", Path.Combine(dir, "out")], err);
        Assert.Equal(2, code);
        Assert.Contains(file, err.ToString());
        Assert.Contains("tokens", err.ToString());
        Directory.Delete(dir, true);
    }
}
