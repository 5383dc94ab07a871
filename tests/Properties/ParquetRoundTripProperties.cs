using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Lab.Pipeline.Io;
using Lab.Pipeline.Results;
using Parquet;

namespace Lab.Tests;

public class ParquetRoundTripProperties
{
    static string Temp(string name) => Path.Combine(Path.GetTempPath(), $"lab-{Guid.NewGuid():N}-{name}");

    [Property(MaxTest = 15)]
    public bool Trial_rows_round_trip(PositiveInt seed, NonEmptyString text, double value)
    {
        var rng = new Random(seed.Get);
        var when = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddTicks(rng.NextInt64(0, TimeSpan.TicksPerDay * 3650) / 10 * 10);
        var rows = Enumerable.Range(0, 1 + seed.Get % 5).Select(i => new TrialRow
        {
            TrialId = $"t{i}", Domain = "lm", Preset = text.Get, ShardIndex = i, ShardSize = rng.NextInt64(), SizeUnit = "tokens", ValTop1Error = rng.NextDouble(), Parameters = rng.NextInt64(),
            LearningRate = rng.NextDouble(), ValCrossEntropy = value, TestCrossEntropy = double.NaN, Status = i % 2 == 0 ? "ok" : "diverged",
            Reason = text.Get, FinishedAt = when, Epochs = rng.Next(), TrainSeconds = rng.NextDouble()
        }).ToList();
        var path = Temp("trials.parquet");
        ParquetTable.Write(path, rows).GetAwaiter().GetResult();
        var back = ParquetTable.Read<TrialRow>(path).GetAwaiter().GetResult();
        File.Delete(path);
        return back.Match(b => b.SequenceEqual(rows), _ => false);
    }

    [Property(MaxTest = 10)]
    public bool Curve_and_fit_rows_round_trip(PositiveInt seed)
    {
        var rng = new Random(seed.Get);
        var curve = Enumerable.Range(0, 1 + seed.Get % 4).Select(i => new CurveRow
        { Curve = "c", M = rng.NextDouble() * 1e6, Error = rng.NextDouble(), Params = rng.Next(), ShardIndex = i, Model = "m", TestError = rng.NextDouble() }).ToList();
        var fits = Enumerable.Range(0, 1 + seed.Get % 3).Select(i => new FitRow
        { Curve = "c", Family = "power", Parameter = $"p{i}", Value = rng.NextDouble(), Lower = double.NaN, Upper = rng.NextDouble(), Points = i }).ToList();
        var (pc, pf) = (Temp("curve.parquet"), Temp("fits.parquet"));
        ParquetTable.Write(pc, curve).GetAwaiter().GetResult();
        ParquetTable.Write(pf, fits).GetAwaiter().GetResult();
        bool ok = ParquetTable.Read<CurveRow>(pc).GetAwaiter().GetResult().Match(b => b.SequenceEqual(curve), _ => false)
                  && ParquetTable.Read<FitRow>(pf).GetAwaiter().GetResult().Match(b => b.SequenceEqual(fits), _ => false);
        File.Delete(pc); File.Delete(pf);
        return ok;
    }

    [Fact]
    public async Task Columns_are_snake_case_and_timestamps_are_int64_microseconds()
    {
        var path = Temp("schema.parquet");
        await ParquetTable.Write(path, [new TrialRow { TrialId = "x", FinishedAt = DateTime.UtcNow }]);
        await using (var reader = await ParquetReader.CreateAsync(path))
        {
            var names = reader.Schema.DataFields.Select(f => f.Name).ToList();
            Assert.Contains("trial_id", names);
            Assert.Contains("val_cross_entropy", names);
            Assert.All(names, n => Assert.Matches("^[a-z0-9_]+$", n));
            var col = reader.Metadata!.Schema.First(s => s.Name == "finished_at");
            Assert.Equal(Parquet.Meta.Type.INT64, col.Type);
            Assert.NotNull(col.LogicalType?.TIMESTAMP);
            Assert.NotNull(col.LogicalType!.TIMESTAMP!.Unit.MICROS);
        }
        File.Delete(path);
    }

    [Fact]
    public async Task A_damaged_file_is_a_problem_naming_it()
    {
        var path = Temp("damaged.parquet");
        await File.WriteAllTextAsync(path, "not parquet");
        var r = await ParquetTable.Read<TrialRow>(path);
        File.Delete(path);
        Assert.True(r.IsLeft);
        Assert.Contains(path, r.Match(_ => "", e => e.What));
    }
}
