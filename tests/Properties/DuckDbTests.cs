using System.Diagnostics;
using System.Text.Json;
using Lab.Pipeline;

namespace Lab.Tests;

/// <summary>A fact skipped, with the reason, where the DuckDB checker is not installed (.ci/run installs it).</summary>
public sealed class DuckDbFactAttribute : FactAttribute
{
    public static string Dir => Path.Combine(Paths.RepoRoot(), "tests", "duckdb");
    public DuckDbFactAttribute()
    {
        if (!Directory.Exists(Path.Combine(Dir, "node_modules", "@duckdb", "node-api")))
            Skip = "DuckDB's node package is not installed: npm install --prefix tests/duckdb (.ci/run does it)";
    }
}

/// <summary>Users read the Parquet files with DuckDB: it must read every table the pipeline writes, with real types.</summary>
[Collection("smoke run")]
public class DuckDbTests(SmokeRunFixture smoke)
{
    [DuckDbFact]
    public async Task DuckDB_reads_every_table_with_timestamps_as_timestamps()
    {
        var reevalDir = smoke.Out + "-duck";
        Assert.Equal(0, await Cli.Run(["reeval", "--models", Path.Combine(smoke.Out, "trials.parquet"), "--data", smoke.Data, "--out", reevalDir, "--threads", "1", "--quiet"]));
        string[] files = ["trials.parquet", "curve.parquet", "fits.parquet", "predictions.parquet", "projections.parquet", "plan.parquet", "metrics.parquet"];
        var paths = files.Select(f => Path.Combine(smoke.Out, f)).Append(Path.Combine(reevalDir, "reevals.parquet")).ToArray();
        var psi = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(Path.Combine(DuckDbFactAttribute.Dir, "read.mjs"));
        foreach (var p in paths) psi.ArgumentList.Add(p);
        using var proc = Process.Start(psi)!;
        var stdout = await proc.StandardOutput.ReadToEndAsync(); var stderr = await proc.StandardError.ReadToEndAsync();
        await proc.WaitForExitAsync();
        Assert.True(proc.ExitCode == 0, stderr);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToArray();
        Assert.Equal(paths.Length, lines.Length);
        Assert.All(lines, l => Assert.True(l.GetProperty("rows").GetInt32() > 0, l.GetProperty("file").GetString()));
        var trials = lines[0].GetProperty("columns");
        Assert.Equal("TIMESTAMP WITH TIME ZONE", trials.GetProperty("finished_at").GetString());
        Assert.Equal("DOUBLE", trials.GetProperty("val_cross_entropy").GetString());
        Assert.Equal("TIMESTAMP WITH TIME ZONE", lines[^1].GetProperty("columns").GetProperty("reevaluated_at").GetString());
        Directory.Delete(reevalDir, true);
    }
}

/// <summary>Every metric of every domain is typed data: bits per character (a domain's own metric, kept as JSON in
/// trials.parquet) is read from metrics.parquet by DuckDB with plain SQL, and equals the trials' own values.</summary>
public class DuckDbMetricsTests
{
    [DuckDbFact]
    public async Task DuckDB_reads_bits_per_character_from_metrics_parquet_without_JSON_functions()
    {
        TorchSetup.Once();
        var dir = Path.Combine(Path.GetTempPath(), $"lab-metrics-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        await File.WriteAllTextAsync(Path.Combine(dir, "slice.txt"), ShippedText.Slice(120_000));
        var outDir = Path.Combine(dir, "out");
        var err = new StringWriter();
        Assert.True(0 == await Cli.Run(["run", "--domain", "charlm", "--preset", "smoke", "--data", Path.Combine(dir, "slice.txt"), "--out", outDir, "--threads", "1", "--quiet"], err), err.ToString());
        var trials = (await Lab.Pipeline.Io.ParquetTable.Read<Lab.Pipeline.Results.TrialRow>(Path.Combine(outDir, "trials.parquet"))).Match(r => r, e => throw new Xunit.Sdk.XunitException(e.ToString()));
        var metrics = Path.Combine(outDir, "metrics.parquet").Replace("'", "''");
        var psi = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(Path.Combine(DuckDbFactAttribute.Dir, "query.mjs"));
        psi.ArgumentList.Add($"select trial_id, value, unit, typeof(value) as t from read_parquet('{metrics}') where metric = 'bits_per_char' and split = 'val' and engine = 'onnxruntime' order by trial_id");
        using var proc = Process.Start(psi)!;
        var stdout = await proc.StandardOutput.ReadToEndAsync(); var stderr = await proc.StandardError.ReadToEndAsync();
        await proc.WaitForExitAsync();
        Assert.True(proc.ExitCode == 0, stderr);
        var rows = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(trials.Count(t => t.Status == "ok"), rows.Count);
        foreach (var r in rows)
        {
            var t = trials.Single(x => x.TrialId == r.GetProperty("trial_id").GetString());
            Assert.Equal("DOUBLE", r.GetProperty("t").GetString());
            Assert.Equal("bits", r.GetProperty("unit").GetString());
            Assert.Equal(t.Metric("val_bits_per_char"), r.GetProperty("value").GetDouble(), 12);
        }
        Directory.Delete(dir, true);
    }
}
