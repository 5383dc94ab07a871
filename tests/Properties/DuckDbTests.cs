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
        string[] files = ["trials.parquet", "curve.parquet", "fits.parquet", "predictions.parquet", "projections.parquet", "plan.parquet"];
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
