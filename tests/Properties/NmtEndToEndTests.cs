using System.IO.Compression;
using Lab.Pipeline;
using Lab.Pipeline.Io;
using Lab.Pipeline.Results;

namespace Lab.Tests;

/// <summary>The translation smoke preset end to end on a slice of the shipped Bible pairs, and bad parallel input.</summary>
public class NmtEndToEndTests
{
    static string Temp() { var d = Path.Combine(Path.GetTempPath(), $"lab-nmt-{Guid.NewGuid():N}"); Directory.CreateDirectory(d); return d; }

    [Fact]
    public async Task Nmt_smoke_run_measures_cross_entropy_and_bleu_through_onnx_runtime()
    {
        TorchSetup.Once();
        var dir = Temp();
        using (var gz = new GZipStream(File.OpenRead(Path.Combine(Paths.RepoRoot(), "data/nmt/kjv-rv1909.tsv.gz")), CompressionMode.Decompress))
        using (var reader = new StreamReader(gz))
        {
            var lines = new List<string>();
            while (lines.Count < 2500 && reader.ReadLine() is { } l) lines.Add(l);
            await File.WriteAllLinesAsync(Path.Combine(dir, "pairs.tsv"), lines);
        }
        var outDir = Path.Combine(dir, "out");
        var err = new StringWriter();
        Assert.True(0 == await Cli.Run(["run", "--domain", "nmt", "--preset", "smoke", "--arch", "all", "--data", Path.Combine(dir, "pairs.tsv"), "--out", outDir, "--threads", "1", "--quiet"], err), err.ToString());
        var trials = (await ParquetTable.Read<TrialRow>(Path.Combine(outDir, "trials.parquet"))).Match(r => r, e => throw new Xunit.Sdk.XunitException(e.ToString()));
        var plan = (await ParquetTable.Read<Lab.Pipeline.Study.PlanRow>(Path.Combine(outDir, "plan.parquet"))).Match(r => r, e => throw new Xunit.Sdk.XunitException(e.ToString()));
        Assert.Equal(plan.Count, trials.Count);
        Assert.Equal(["lstm", "transformer"], trials.Select(t => t.Architecture).Distinct().Order());
        // both architectures have their own curve, and the fit says whether their exponents differ
        var comparisons = (await ParquetTable.Read<ComparisonRow>(Path.Combine(outDir, "comparisons.parquet"))).Match(r => r, e => throw new Xunit.Sdk.XunitException(e.ToString()));
        Assert.Contains(comparisons, c => c.CurveA == "nmt/lstm:val_cross_entropy" && c.CurveB == "nmt/transformer:val_cross_entropy" && c.Verdict.Length > 0);
        Assert.All(trials, t =>
        {
            Assert.Equal("ok", t.Status);
            Assert.True(double.IsFinite(t.ValBleu) && t.ValBleu >= 0 && t.ValBleu <= 100, $"BLEU {t.ValBleu}");
            Assert.True(Math.Abs(t.OrtTorchGap) < 1e-4, $"ORT−torch {t.OrtTorchGap}");
            Assert.True(File.Exists(Path.Combine(outDir, "models", $"{t.TrialId}.step.onnx")) && File.Exists(Path.Combine(outDir, "models", $"{t.TrialId}.encoder.onnx")));
        });
        // the archived scoring graphs reproduce their recorded cross-entropy from their metadata
        var reevalOut = Path.Combine(dir, "reeval");
        Assert.True(0 == await Cli.Run(["reeval", "--models", Path.Combine(outDir, "models"), "--data", Path.Combine(dir, "pairs.tsv"), "--out", reevalOut, "--threads", "1", "--quiet"], err), err.ToString());
        var rows = (await ParquetTable.Read<Lab.Pipeline.Reeval.ReevalRow>(Path.Combine(reevalOut, "reevals.parquet"))).Match(r => r, e => throw new Xunit.Sdk.XunitException(e.ToString()));
        Assert.Equal(trials.Count, rows.Count);
        Assert.All(rows, r => Assert.True(Math.Abs(r.RelativeDifference) <= 1e-5, $"{r.TrialId}: {r.Value} vs {r.RecordedValue}"));
        Directory.Delete(dir, true);
    }

    [Fact]
    public async Task Bad_parallel_input_is_exit_code_2_naming_the_file()
    {
        var dir = Temp();
        async Task<string> Run(string data)
        {
            var err = new StringWriter();
            Assert.Equal(2, await Cli.Run(["run", "--domain", "nmt", "--preset", "smoke", "--data", data, "--out", Path.Combine(dir, "out"), "--quiet"], err));
            return err.ToString();
        }
        var moses = Path.Combine(dir, "moses"); Directory.CreateDirectory(moses);
        await File.WriteAllLinesAsync(Path.Combine(moses, "train.en"), ["one", "two", "three"]);
        await File.WriteAllLinesAsync(Path.Combine(moses, "train.es"), ["uno", "dos"]);
        var e1 = await Run(moses);
        Assert.Contains("train.en has 3 lines but", e1); Assert.Contains("train.es has 2", e1);
        var empty = Path.Combine(dir, "empty.tsv"); await File.WriteAllTextAsync(empty, "\n\n\n");
        Assert.Contains("empty.tsv: no sentence pairs", await Run(empty));
        var latin = Path.Combine(dir, "latin1.tsv"); await File.WriteAllBytesAsync(latin, [0x61, 0x09, 0xE9, 0x0A]);
        Assert.Contains("latin1.tsv: not valid UTF-8", await Run(latin));
        var cols = Path.Combine(dir, "cols.tsv"); await File.WriteAllTextAsync(cols, "a\tb\tc\td\n");
        Assert.Contains("cols.tsv: line 1 has 4 tab-separated columns", await Run(cols));
        Directory.Delete(dir, true);
    }
}
