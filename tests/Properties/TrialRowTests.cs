using Lab.Pipeline.Io;
using Lab.Pipeline.Results;

namespace Lab.Tests;

/// <summary>Metrics by name without a central switch: shared columns by their Parquet names, a domain's own metrics in
/// the metrics column, both read back by name after a Parquet round trip.</summary>
public class TrialRowTests
{
    [Fact]
    public async Task Metrics_go_to_their_column_or_to_the_domains_own_and_read_back_by_name()
    {
        var row = new TrialRow { TrialId = "t" }.WithMetrics(new Dictionary<string, double>
        {
            ["val_top1_error"] = 0.25, ["val_bits_per_char"] = 1.5, ["test_bits_per_char"] = double.NaN
        });
        Assert.Equal(0.25, row.ValTop1Error);
        Assert.Equal(1.5, row.Metric("val_bits_per_char"));
        var path = Path.Combine(Path.GetTempPath(), $"lab-row-{Guid.NewGuid():N}.parquet");
        await ParquetTable.Write(path, [row]);
        var back = (await ParquetTable.Read<TrialRow>(path)).Match(r => r[0], e => throw new Xunit.Sdk.XunitException(e.ToString()));
        Assert.Equal((0.25, 1.5), (back.Metric("val_top1_error"), back.Metric("val_bits_per_char")));
        Assert.True(double.IsNaN(back.Metric("test_bits_per_char")));
        Assert.Throws<ArgumentException>(() => back.Metric("no_such_metric"));
        File.Delete(path);
    }
}
