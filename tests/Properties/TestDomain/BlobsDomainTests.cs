using Lab.Pipeline;
using Lab.Pipeline.Domains;
using Lab.Pipeline.Io;
using Lab.Pipeline.Reeval;
using Lab.Pipeline.Results;

namespace Lab.Tests.TestDomain;

/// <summary>docs/adding-a-domain.md kept true: a domain written from the recipe, registered from outside the pipeline,
/// runs a whole study (search, trials, ONNX, fit, report), resumes, re-evaluates its archived models and benchmarks.</summary>
public class BlobsDomainTests
{
    [Fact]
    public async Task The_help_text_lists_every_registered_domain_with_its_data_and_families()
    {
        DomainRegistry.Register(new BlobsRunner());
        var output = new StringWriter();
        Assert.Equal(0, await Cli.Run(["run", "--help"], new StringWriter(), output));
        string help = System.Text.RegularExpressions.Regex.Replace(output.ToString(), @"\s+", " ");
        Assert.Contains("blobs mlp|all (default mlp)", help);
        Assert.Contains("nothing: the points are generated (blobs)", help);
        Assert.All(DomainRegistry.All, d => Assert.Contains($"{d.Name} {d.ArchHelp}", help));
        // the default the help names is the family a run picks (image's said "all" while runs trained ResNets alone)
        Assert.Contains("image resnet|cnn|all (default resnet)", help);
    }

    [Fact]
    public async Task A_domain_from_the_recipe_runs_end_to_end_with_reeval_and_bench()
    {
        TorchSetup.Once();
        DomainRegistry.Register(new BlobsRunner());
        var dir = Path.Combine(Path.GetTempPath(), $"lab-blobs-{Guid.NewGuid():N}");
        var err = new StringWriter();
        string[] run = ["run", "--domain", "blobs", "--preset", "smoke", "--out", dir, "--threads", "1", "--quiet"];
        Assert.True(await Cli.Run(run, err, TextWriter.Null) == 0, err.ToString());

        var trials = (await ParquetTable.Read<TrialRow>(Path.Combine(dir, "trials.parquet"))).Match(r => r, e => throw new Xunit.Sdk.XunitException(e.ToString()));
        Assert.True(trials.Count >= 6, $"{trials.Count} trials");
        Assert.All(trials, t => Assert.True(t.Status == "ok" && double.IsFinite(t.Metric("val_nll")) && t.OnnxSha256.Length == 64, $"{t.TrialId}: {t.Status} {t.Reason}"));
        var curve = (await ParquetTable.Read<CurveRow>(Path.Combine(dir, "curve.parquet"))).Match(r => r, e => throw new Xunit.Sdk.XunitException(e.ToString()));
        Assert.Equal(4, curve.Count);   // 1,600 points halved down to 200
        Assert.All(curve, c => Assert.Equal("blobs:val_nll", c.Curve));
        Assert.True(File.Exists(Path.Combine(dir, "report.md")));

        // resume trains nothing: no trial file is written again
        var written = Directory.GetFiles(Path.Combine(dir, "trials")).ToDictionary(f => f, File.GetLastWriteTimeUtc);
        Assert.Equal(0, await Cli.Run(run, err, TextWriter.Null));
        Assert.Equal(written, Directory.GetFiles(Path.Combine(dir, "trials")).ToDictionary(f => f, File.GetLastWriteTimeUtc));

        // the archived models re-evaluate to their recorded values
        var reevalDir = Path.Combine(dir, "reeval");
        Assert.True(await Cli.Run(["reeval", "--models", Path.Combine(dir, "trials.parquet"), "--out", reevalDir, "--threads", "1", "--quiet"], err, TextWriter.Null) == 0, err.ToString());
        var reevals = (await ParquetTable.Read<ReevalRow>(Path.Combine(reevalDir, "reevals.parquet"))).Match(r => r, e => throw new Xunit.Sdk.XunitException(e.ToString()));
        Assert.Equal(trials.Count, reevals.Count);
        Assert.All(reevals, r => Assert.True(Math.Abs(r.RelativeDifference) < 1e-6 && r.Metric == "val_nll", $"{r.TrialId}: {r.Value} vs {r.RecordedValue}"));

        // and the bench loop runs its cases
        Assert.True(await Cli.Run(["bench", "--domain", "blobs", "--repeats", "1", "--threads", "1", "--out", dir, "--quiet"], err, TextWriter.Null) == 0, err.ToString());
        var bench = (await ParquetTable.Read<BenchRow>(Path.Combine(dir, "bench.parquet"))).Match(r => r, e => throw new Xunit.Sdk.XunitException(e.ToString()));
        Assert.Equal(8, bench.Count);
        Directory.Delete(dir, true);
    }
}
