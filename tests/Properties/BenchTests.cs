using Lab.Pipeline;
using Lab.Pipeline.Domains;
using Lab.Pipeline.Io;
using Lab.Pipeline.Results;

namespace Lab.Tests;

/// <summary>`pipeline bench` of every domain writes one bench.parquet schema: each figure warmed up and repeated, with
/// min ≤ median ≤ max, the shared measures present, and the machine facts.</summary>
public class BenchTests
{
    /// <summary>A small model of each domain to bench (a new domain adds its own here; the test says so when one is missing).</summary>
    static readonly Dictionary<string, (string Model, string[] Measures)> Small = new()
    {
        ["lm"] = (Lab.Pipeline.Domains.Lm.LmRunner.Presets.Default.Models[0].Name, ["train_step", "train_mfu", "pipeline_loop", "trial_train", "trial_train_share", "eval_torch", "eval_ort"]),
        ["charlm"] = (Lab.Pipeline.Domains.CharLm.CharLmRunner.Presets.Default.Models.Find(m => m.Arch == "rhn").Map(m => m.Name).IfNone(""), ["train_step", "train_mfu", "pipeline_loop", "trial_train", "trial_train_share", "eval_torch", "eval_ort"]),
        ["image"] = (Lab.Stages.Domains.Image.ImagePreset.Shipped.Default.Models[0].Name, ["train_step", "pipeline_loop", "eval_torch", "eval_ort"]),
        ["nmt"] = (Lab.Stages.Domains.Nmt.NmtPreset.Shipped.Default.Models[0].Name, ["train_step", "pipeline_loop", "eval_torch", "eval_ort", "greedy_ort"]),
        ["speech"] = (Lab.Stages.Domains.Speech.SpeechPreset.Shipped.Default.Models[0].Name, ["train_step", "pipeline_loop", "eval_ort"]),
    };

    public static TheoryData<string> Domains => new(DomainRegistry.All.Map(d => d.Name));

    [Theory]
    [MemberData(nameof(Domains))]
    public async Task Bench_writes_repeated_figures_in_the_shared_schema(string domain)
    {
        TorchSetup.Once();
        Assert.True(Small.ContainsKey(domain), $"add a small model of '{domain}' to BenchTests.Small");
        var (model, measures) = Small[domain];
        var dir = Path.Combine(Path.GetTempPath(), $"lab-bench-{Guid.NewGuid():N}");
        var err = new StringWriter();
        int code = await Cli.Run(["bench", "--domain", domain, "--model", model, "--repeats", "2", "--threads", "1", "--out", dir, "--quiet"], err, TextWriter.Null);
        Assert.True(code == 0, err.ToString());
        var rows = (await ParquetTable.Read<BenchRow>(Path.Combine(dir, "bench.parquet"))).Match(r => r, e => throw new Xunit.Sdk.XunitException(e.ToString()));
        Assert.All(rows, r =>
        {
            Assert.Equal((domain, 2, 1), (r.Domain, r.Repeats, r.Threads));
            Assert.Contains(model, r.Model);
            Assert.True(r.Min > 0 && r.Min <= r.Median && r.Median <= r.Max && double.IsFinite(r.Max), $"{r.Measure}: {r.Min} {r.Median} {r.Max}");
            Assert.True(r.Parameters > 0 && r.CpuCores > 0 && r.CpuModel.Length > 0 && r.OnnxRuntimeVersion.Length > 0);
            if (r.Measure == "trial_train_share") Assert.True(r.Max <= 100, $"training took {r.Max} % of the trial loop's time");
        });
        Assert.Equal(measures.Order(), rows.Select(r => r.Measure).Order());
        Directory.Delete(dir, true);
    }

    [Fact]
    public async Task A_model_filter_that_matches_nothing_is_a_clear_error()
    {
        var err = new StringWriter();
        var outDir = Path.Combine(Path.GetTempPath(), $"lab-bench-{Guid.NewGuid():N}");
        int code = await Cli.Run(["bench", "--domain", "speech", "--model", "no-such-model", "--out", outDir], err, TextWriter.Null);
        bool left = Directory.Exists(outDir);
        if (left) Directory.Delete(outDir, true);
        Assert.Equal(2, code);
        Assert.False(left, "a refused bench left its (empty) output folder behind");
        Assert.Contains("no-such-model", err.ToString());
    }
}
