using LanguageExt;
using Lab.Stages.Search;
using static LanguageExt.Prelude;
using Lab.Pipeline;
using Lab.Pipeline.Domains;
using Lab.Pipeline.Io;
using Lab.Pipeline.Results;

namespace Lab.Tests.TestDomain;

/// <summary>A preset given as a file (--preset my.json) drives a whole study, is kept in the study folder for its
/// trials (cluster jobs too) and its resume, and bad files are refused with the file named.</summary>
public class UserPresetTests
{
    [Fact]
    public async Task A_preset_file_runs_a_study_and_is_kept_for_its_trials()
    {
        TorchSetup.Once();
        DomainRegistry.Register(new BlobsRunner());
        var dir = Path.Combine(Path.GetTempPath(), $"lab-userpreset-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        var mine = BlobsPreset.Smoke with { Name = "mine", LearningRates = Seq(3e-2, 1e-1), MaxEpochs = 5 };
        var file = Path.Combine(dir, "mine.json");
        File.WriteAllText(file, "// my own preset\n" + PresetFile.Write(mine));
        var study = Path.Combine(dir, "study");
        var err = new StringWriter();

        // planned alone (as `submit` does), one trial run as a cluster job would, then the whole study
        Assert.True(await Cli.Run(["plan", "--domain", "blobs", "--preset", file, "--out", study, "--quiet"], err, TextWriter.Null) == 0, err.ToString());
        Assert.Equal(File.ReadAllText(file), File.ReadAllText(Path.Combine(study, "preset.json")));
        Assert.True(await Cli.Run(["trial", "--plan", Path.Combine(study, "plan.parquet"), "--index", "0", "--threads", "1", "--quiet"], err, TextWriter.Null) == 0, err.ToString());
        string[] run = ["run", "--domain", "blobs", "--preset", file, "--out", study, "--threads", "1", "--quiet"];
        Assert.True(await Cli.Run(run, err, TextWriter.Null) == 0, err.ToString());
        var trials = (await ParquetTable.Read<TrialRow>(Path.Combine(study, "trials.parquet"))).Match(r => r, e => throw new Xunit.Sdk.XunitException(e.ToString()));
        Assert.NotEmpty(trials);
        // the preset's own rates, or the reserve one step past an end of them that a walk may grow into (0.009, 0.333…)
        var rates = mine.LearningRates.Concat(LadderReserve.Rates(mine.LearningRates, mine.Search.GrowRates)).ToList();
        Assert.All(trials, t => Assert.True(t.Preset == "mine" && t.Status == "ok" && rates.Contains(t.LearningRate), $"{t.TrialId}: {t.Preset} {t.LearningRate} {t.Status}"));

        // changed values under the same name would mix two presets in one study: refused, nothing lost
        var changed = Path.Combine(dir, "changed.json");
        File.WriteAllText(changed, PresetFile.Write(mine with { MaxEpochs = 6 }));
        err = new StringWriter();
        Assert.NotEqual(0, await Cli.Run(["run", "--domain", "blobs", "--preset", changed, "--out", study, "--threads", "1", "--quiet"], err, TextWriter.Null));
        Assert.Contains("another preset named 'mine'", err.ToString());
        Assert.Equal(File.ReadAllText(file), File.ReadAllText(Path.Combine(study, "preset.json")));
        Directory.Delete(dir, true);
    }

    [Theory]
    [InlineData("{\"Name\": \"smoke\"}", "like a shipped preset")]
    [InlineData("{\"Name\": \"x\", \"Trian\": 10}", "Trian")]
    [InlineData("{\"Name\": \"x\"}", "not a valid preset")]
    [InlineData("{\n\"Name\": \"x\",\n  oops }", "line 3")]
    [InlineData("[]", "no preset")]
    [InlineData("[null]", "a preset is null")]
    public async Task A_bad_preset_file_is_refused_naming_the_file(string text, string expected)
    {
        DomainRegistry.Register(new BlobsRunner());
        var dir = Path.Combine(Path.GetTempPath(), $"lab-badpreset-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        var file = Path.Combine(dir, "bad.json");
        // the shipped name test needs an otherwise complete preset
        File.WriteAllText(file, text.Contains("smoke") ? PresetFile.Write(BlobsPreset.Smoke) : text);
        var err = new StringWriter();
        Assert.NotEqual(0, await Cli.Run(["plan", "--domain", "blobs", "--preset", file, "--out", Path.Combine(dir, "study"), "--quiet"], err, TextWriter.Null));
        Assert.Contains(file, err.ToString());
        Assert.Contains(expected, err.ToString());
        Directory.Delete(dir, true);
    }
}
