using Lab.Pipeline;
using Lab.Pipeline.Domains;
using Lab.Pipeline.Io;
using Lab.Pipeline.Results;

namespace Lab.Tests;

/// <summary>`pipeline bench` of every domain writes one bench.parquet schema: each figure warmed up and repeated, with
/// min ≤ median ≤ max, the shared measures present, and the machine facts.</summary>
public class BenchTests
{
    /// <summary>The measures every domain's bench writes (each domain may add its own).</summary>
    static readonly string[] Shared = ["train_step", "pipeline_loop", "eval_ort"];

    /// <summary>A domain's first bench case of a model (cases are built as they are reached: the cases before it, a GEMM
    /// or feature figure, and this model, nothing more): the model to bench and the measures it declares. Every
    /// registered domain is benched so, with nothing to add here for a new one.</summary>
    static (string Model, string[] Measures) FirstCase(IDomainRunner domain)
    {
        var options = new RunOptions(domain.Name, "default", null, Path.GetTempPath(), "cpu", 1, 1);
        return domain.BenchCases(options, 1, new Reporter(quiet: true)).Match(
            cases => cases.Where(c => c.Measures.Any(m => m.Measure == "train_step")).Take(1).Select(c => (c.Model, c.Measures.Select(m => m.Measure).ToArray())).Single(),
            e => throw new Xunit.Sdk.XunitException(e.ToString()));
    }

    public static TheoryData<string> Domains => new(DomainRegistry.All.Map(d => d.Name));

    [Theory]
    [MemberData(nameof(Domains))]
    public async Task Bench_writes_repeated_figures_in_the_shared_schema(string domain)
    {
        TorchSetup.Once();
        var (model, declared) = FirstCase(DomainRegistry.Find(domain).Match(d => d, e => throw new Xunit.Sdk.XunitException(e.ToString())));
        Assert.All(Shared, m => Assert.Contains(m, declared));
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
        Assert.Equal(declared.Order(), rows.Select(r => r.Measure).Order());   // every measure the case declares, once
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
