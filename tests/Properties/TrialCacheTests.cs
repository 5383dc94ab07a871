using Lab.Pipeline;
using Lab.Pipeline.Io;
using Lab.Pipeline.Results;
using Lab.Pipeline.Study;

namespace Lab.Tests;

/// <summary>The trial cache reads result files asynchronously (Refresh, Reread) and answers the replay's questions by
/// lookup: a file that appears later is seen at the next Refresh, one rewritten by another process at Reread, and a
/// damaged file is no result, said once.</summary>
public class TrialCacheTests
{
    static (StudyFiles Files, StringWriter Errors, TrialCache Cache) NewStudy()
    {
        var dir = Path.Combine(Path.GetTempPath(), $"lab-cache-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        var files = new StudyFiles(dir);
        var errors = new StringWriter();
        return (files, errors, new TrialCache(files, new Reporter(quiet: true, errors, TextWriter.Null)));
    }

    static TrialRow Row(string id, double val) => new() { TrialId = id, Status = "ok", ValCrossEntropy = val };

    [Fact]
    public async Task A_result_file_is_seen_after_the_refresh_that_follows_it()
    {
        var (files, _, cache) = NewStudy();
        await cache.Refresh();   // no trials folder yet
        Assert.Null(cache.Read("a"));
        await ParquetTable.Write(files.Trial("a"), [Row("a", 5.0)]);
        Assert.Null(cache.Read("a"));   // not looked at since
        await cache.Refresh();
        Assert.Equal(5.0, cache.Read("a")!.ValCrossEntropy);
        Directory.Delete(files.Dir, true);
    }

    [Fact]
    public async Task Reread_sees_what_another_process_wrote_since_and_Read_keeps_what_was_read()
    {
        var (files, _, cache) = NewStudy();
        await ParquetTable.Write(files.Trial("a"), [Row("a", 5.0)]);
        await cache.Refresh();
        Assert.Equal(5.0, cache.Read("a")!.ValCrossEntropy);
        await ParquetTable.Write(files.Trial("a"), [Row("a", 4.0)]);
        await cache.Refresh();
        Assert.Equal(5.0, cache.Read("a")!.ValCrossEntropy);   // remembered for the life of the cache
        Assert.Equal(4.0, (await cache.Reread("a"))!.ValCrossEntropy);
        Assert.Equal(4.0, cache.Read("a")!.ValCrossEntropy);
        File.Delete(files.Trial("a"));
        Assert.Null(await cache.Reread("a"));
        Directory.Delete(files.Dir, true);
    }

    [Fact]
    public async Task A_damaged_or_two_row_file_is_no_result_said_once_and_other_files_are_still_read()
    {
        var (files, errors, cache) = NewStudy();
        await ParquetTable.Write(files.Trial("two"), [Row("two", 5.0), Row("two", 4.0)]);
        await ParquetTable.Write(files.Trial("good"), [Row("good", 3.0)]);
        Directory.CreateDirectory(files.Trials);
        File.WriteAllText(files.Trial("junk"), "not parquet");
        File.WriteAllText(files.Trial("good") + ".tmp-123", "a write under way");
        await cache.Refresh();
        Assert.Null(cache.Read("two"));
        Assert.Null(cache.Read("two"));
        Assert.Null(cache.Read("junk"));
        Assert.Equal(3.0, cache.Read("good")!.ValCrossEntropy);
        var said = errors.ToString();
        Assert.Single(said.Split('\n'), l => l.Contains("2 rows, not one", StringComparison.Ordinal));
        Assert.Contains("junk.parquet", said);
        Assert.Contains("will be trained again", said);
        Directory.Delete(files.Dir, true);
    }

    [Fact]
    public async Task A_remembered_result_is_not_replaced_by_a_later_refresh()
    {
        var (files, _, cache) = NewStudy();
        var row = Row("a", 2.0);
        await ParquetTable.Write(files.Trial("a"), [row]);
        cache.Remember(row);
        await ParquetTable.Write(files.Trial("a"), [Row("a", 9.0)]);
        await cache.Refresh();
        Assert.Equal(2.0, cache.Read("a")!.ValCrossEntropy);
        Directory.Delete(files.Dir, true);
    }
}
