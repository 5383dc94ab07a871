using Lab.Pipeline;
using Lab.Pipeline.Io;
using Lab.Pipeline.Results;

namespace Lab.Tests.Faults;

/// <summary>Truncated or corrupted copies of every file the product reads back: each ends in a repair (the study
/// comes out as before) or a clear error naming the file, with its documented exit code, and nothing already computed
/// is lost.</summary>
[Collection("smoke run")]
public class CorruptFileTests(SmokeRunFixture smoke)
{
    string Copy() => Child.CopyOf(smoke.Out, "corrupt");

    static void Truncate(string path) { var b = File.ReadAllBytes(path); File.WriteAllBytes(path, b[..(b.Length / 2)]); }

    static void Scramble(string path)
    {
        var b = File.ReadAllBytes(path);
        for (int i = b.Length / 3; i < b.Length / 3 + 64 && i < b.Length; i++) b[i] ^= 0x5A;
        File.WriteAllBytes(path, b);
    }

    async Task<(int Code, string Errors)> Run(string dir)
    {
        var err = new StringWriter();
        var args = smoke.Args.Select(a => a == smoke.Out ? dir : a).ToArray();
        return (await Cli.Run(args, err, TextWriter.Null), err.ToString());
    }

    static string[] Files(string dir, string sub) => Directory.GetFiles(Path.Combine(dir, sub)).Order(StringComparer.Ordinal).ToArray();

    public static TheoryData<string> Damages => new() { "truncate-trial", "scramble-trial", "truncate-model", "scramble-model", "delete-model", "truncate-trials-table", "unknown-status" };

    [Theory]
    [MemberData(nameof(Damages))]
    public async Task A_damaged_result_is_redone_and_the_study_comes_out_the_same(string damage)
    {
        var dir = Copy();
        string trial = Files(dir, "trials")[1], model = Files(dir, "models").First(f => f.EndsWith(".onnx", StringComparison.Ordinal));
        switch (damage)
        {
            case "truncate-trial": Truncate(trial); break;
            case "scramble-trial": Scramble(trial); break;
            case "truncate-model": Truncate(model); break;
            case "scramble-model": Scramble(model); break;
            case "delete-model": File.Delete(model); break;
            case "truncate-trials-table": Truncate(Path.Combine(dir, "trials.parquet")); break;
            case "unknown-status":
                // edited elsewhere (DuckDB, pandas) into a status the product does not write: not a result
                var rows = (await ParquetTable.Read<TrialRow>(trial)).Match(r => r, p => throw new InvalidOperationException(p.What));
                await ParquetTable.Write(trial, rows.Select(r => r with { Status = "OK" }));
                break;
        }
        var (code, errors) = await Run(dir);
        Assert.True(code == 0, $"{damage}: exit {code}: {errors}");
        if (damage == "unknown-status") Assert.Contains("status 'OK' is none of ok, diverged, failed", errors);
        Assert.Equal(StudySignature.Of(smoke.Out), StudySignature.Of(dir));
        Directory.Delete(dir, true);
    }

    [Theory]
    [InlineData("plan.parquet")]
    [InlineData("space.parquet")]
    [InlineData("prepared/lm.bin")]
    public async Task A_damaged_study_file_is_a_clear_error_and_the_results_stay(string file)
    {
        var dir = Copy();
        var before = Files(dir, "trials").Select(f => (f, File.ReadAllBytes(f))).ToList();
        Truncate(Path.Combine(dir, file));
        var (code, errors) = await Run(dir);
        if (code == 0)
            Assert.Equal(StudySignature.Of(smoke.Out), StudySignature.Of(dir));   // repaired
        else
        {
            Assert.True(code == 2, $"{file}: exit {code}: {errors}");
            Assert.Contains(Path.GetFileName(file), errors);
        }
        foreach (var (f, bytes) in before) Assert.Equal(bytes, File.ReadAllBytes(f));   // nothing computed is lost
        Directory.Delete(dir, true);
    }

    [Theory]
    [InlineData("curve.parquet")]
    public async Task A_damaged_curves_input_is_a_clear_error(string file)
    {
        var dir = Copy();
        Truncate(Path.Combine(dir, file));
        var err = new StringWriter();
        int code = await Cli.Run(["fit", "--curves", Path.Combine(dir, file), "--out", Path.Combine(dir, "fit"), "--quiet"], err, TextWriter.Null);
        Assert.Equal(2, code);
        Assert.Contains(file, err.ToString());
        Directory.Delete(dir, true);
    }
}
