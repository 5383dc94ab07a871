using Lab.Pipeline;

namespace Lab.Tests;

/// <summary>The prepared-data cache follows the file, not just its path: a study folder planned again with other data
/// in the same process trains on the new data.</summary>
public class PreparedDataTests
{
    [Fact]
    public async Task A_folder_planned_again_with_other_data_is_read_afresh()
    {
        var dir = Path.Combine(Path.GetTempPath(), $"lab-prepared-{Guid.NewGuid():N}");
        var plan = Path.Combine(dir, "plan.parquet");
        var err = new StringWriter();
        foreach (var seed in new[] { "1", "2" })   // another seed: other splits, another data fingerprint
        {
            Directory.CreateDirectory(dir);
            foreach (var f in Directory.GetFiles(dir)) File.Delete(f);
            Assert.Equal(0, await Cli.Run(["plan", "--domain", "lm", "--preset", "smoke", "--out", dir, "--seed", seed, "--quiet"], err));
            Assert.True(await Cli.Run(["trial", "--plan", plan, "--index", "0", "--threads", "1", "--quiet"], err) == 0, err.ToString());
        }
        Directory.Delete(dir, true);
    }
}
