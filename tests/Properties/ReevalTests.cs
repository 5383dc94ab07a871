using Google.Protobuf;
using Lab.Pipeline;
using Lab.Pipeline.Io;
using Lab.Pipeline.Reeval;
using Lab.Pipeline.Results;
using Lab.Stages.Domains.Lm;
using Lab.Stages.Language;
using Lab.Stages.Export.Onnx;

namespace Lab.Tests;

/// <summary>`pipeline reeval` on the smoke run's archived models.</summary>
[Collection("smoke run")]
public class ReevalTests(SmokeRunFixture smoke)
{
    static async Task<(int Code, string Err)> Reeval(params string[] args)
    {
        var err = new StringWriter();
        return (await Cli.Run(["reeval", .. args, "--quiet", "--threads", "1"], err), err.ToString());
    }

    static string Temp() => Path.Combine(Path.GetTempPath(), $"lab-reeval-{Guid.NewGuid():N}");

    [Fact]
    public async Task Reevaluating_on_the_same_machine_reproduces_the_recorded_metric()
    {
        var outDir = Temp();
        var (code, err) = await Reeval("--models", Path.Combine(smoke.Out, "trials.parquet"), "--data", smoke.Data, "--out", outDir, "--provider", "auto");
        Assert.True(code == 0, err);
        var rows = (await ParquetTable.Read<ReevalRow>(Path.Combine(outDir, "reevals.parquet"))).Match(r => r, e => throw new Xunit.Sdk.XunitException(e.ToString()));
        var trials = (await ParquetTable.Read<TrialRow>(Path.Combine(smoke.Out, "trials.parquet"))).Match(r => r, e => throw new Xunit.Sdk.XunitException(e.ToString()));
        Assert.Equal(trials.Count, rows.Count);
        Assert.All(rows, r =>
        {
            Assert.True(Math.Abs(r.RelativeDifference) <= 1e-5, $"{r.TrialId}: {r.Value} vs {r.RecordedValue}");
            Assert.Equal("cpu", r.Provider);
            Assert.False(r.DifferentDataAllowed);
            Assert.True(r.ExamplesPerSecond > 0 && r.LatencyP95Ms >= r.LatencyP50Ms && r.CpuCores > 0 && r.OnnxRuntimeVersion.Length > 0);
        });
        // a second run appends
        Assert.Equal(0, (await Reeval("--models", Path.Combine(smoke.Out, "models"), "--data", smoke.Data, "--out", outDir, "--batch", "5")).Code);
        var appended = (await ParquetTable.Read<ReevalRow>(Path.Combine(outDir, "reevals.parquet"))).Match(r => r, e => throw new Xunit.Sdk.XunitException(e.ToString()));
        Assert.Equal(2 * trials.Count, appended.Count);
        Assert.All(appended.Skip(trials.Count), r => Assert.True(Math.Abs(r.RelativeDifference) <= 1e-5 && r.Batch == 5));
        Directory.Delete(outDir, true);
    }

    [Fact]
    public async Task A_tampered_model_is_refused()
    {
        var copy = smoke.Out + "-tamper";
        EndToEndTests.CopyDirectory(smoke.Out, copy);
        var model = Directory.GetFiles(Path.Combine(copy, "models"), "*.onnx").First();
        var proto = ModelProto.Parser.ParseFrom(File.ReadAllBytes(model));
        var w = proto.Graph.Initializer.First(t => t.Name == "head.bias");
        var raw = w.RawData.ToByteArray(); raw[0] ^= 0x40; w.RawData = ByteString.CopyFrom(raw);
        File.WriteAllBytes(model, proto.ToByteArray());
        var outDir = Temp();
        var (code, err) = await Reeval("--models", model, "--data", smoke.Data, "--out", outDir);
        Assert.Equal(2, code);
        Assert.Contains("differs from", err);
        Assert.Contains("refused", err);
        Directory.Delete(copy, true);
        if (Directory.Exists(outDir)) Directory.Delete(outDir, true);
    }

    [Fact]
    public async Task Different_data_is_refused_unless_allowed_and_then_recorded()
    {
        var other = Temp();
        Directory.CreateDirectory(other);
        var text = await File.ReadAllTextAsync(Path.Combine(smoke.Data, "slice.txt"));
        await File.WriteAllTextAsync(Path.Combine(other, "other.txt"), text.Replace("the", "a"));
        var model = Directory.GetFiles(Path.Combine(smoke.Out, "models"), "*.onnx").First();
        var outDir = Temp();
        var (code, err) = await Reeval("--models", model, "--data", other, "--out", outDir);
        Assert.Equal(2, code);
        Assert.Contains("fingerprint", err);
        Assert.Contains("--allow-different-data", err);
        var (code2, err2) = await Reeval("--models", model, "--data", other, "--out", outDir, "--allow-different-data");
        Assert.True(code2 == 0, err2);
        var row = Assert.Single((await ParquetTable.Read<ReevalRow>(Path.Combine(outDir, "reevals.parquet"))).Match(r => r, e => throw new Xunit.Sdk.XunitException(e.ToString())));
        Assert.True(row.DifferentDataAllowed);
        Assert.NotEqual(row.DataFingerprintRecorded, row.DataFingerprintFound);
        Directory.Delete(other, true); Directory.Delete(outDir, true);
    }

    [Fact]
    public async Task A_model_without_metadata_gives_a_clear_error()
    {
        TorchSetup.Once();
        var dir = Temp(); Directory.CreateDirectory(dir);
        using var lm = new LstmLm(new LmModelSpec(4, 4, 1, 0), 10);
        var path = Path.Combine(dir, "bare.onnx");
        File.WriteAllBytes(path, lm.ToOnnx(new Dictionary<string, string>()).ToByteArray());
        var (code, err) = await Reeval("--models", path, "--out", dir);
        Assert.Equal(2, code);
        Assert.Contains("bare.onnx", err);
        Assert.Contains("lab.format_version", err);
        var (code2, err2) = await Reeval("--models", path, "--out", dir, "--provider", "cuda");
        Assert.Equal(2, code2);
        Assert.Contains("CUDA", err2);
        Directory.Delete(dir, true);
    }
}

/// <summary>A model archived by an earlier build (before the domain-contract refactor) still re-evaluates, on the shipped
/// data, to the value its own trial row recorded.</summary>
public class ArchivedModelTests
{
    [Fact]
    public async Task An_image_model_made_before_the_refactor_reevaluates_to_its_recorded_value()
    {
        var archived = Path.Combine(Lab.Pipeline.Paths.RepoRoot(), "tests/Properties/Archived/image-v1");
        var dir = Path.Combine(Path.GetTempPath(), $"lab-archived-{Guid.NewGuid():N}");
        var err = new StringWriter();
        int code = await Lab.Pipeline.Cli.Run(["reeval", "--models", Path.Combine(archived, "trials.parquet"), "--out", dir, "--threads", "1", "--quiet"], err, TextWriter.Null);
        Assert.True(code == 0, err.ToString());
        var row = Assert.Single((await Lab.Pipeline.Io.ParquetTable.Read<Lab.Pipeline.Reeval.ReevalRow>(Path.Combine(dir, "reevals.parquet")))
            .Match(r => r, e => throw new Xunit.Sdk.XunitException(e.ToString())));
        Assert.Equal(("1b1bc981a4a8b9df", "1"), (row.TrialId, row.FormatVersion));
        Assert.False(double.IsNaN(row.RecordedValue));
        Assert.True(Math.Abs(row.RelativeDifference) < 1e-9, $"{row.Metric}: {row.Value} now, {row.RecordedValue} recorded");
        Directory.Delete(dir, true);
    }
}
