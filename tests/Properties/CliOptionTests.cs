using Lab.Pipeline;

namespace Lab.Tests;

/// <summary>Numbers out of range are refused before anything runs: exit code 2 and a message naming the option.</summary>
public class CliOptionTests
{
    [Theory]
    [InlineData("--threads", "run --domain lm --out /nonexistent/never --threads -3")]
    [InlineData("--target-error", "run --domain lm --out /nonexistent/never --target-error 0")]
    [InlineData("--target-error", "gather --plan /nonexistent/plan.parquet --target-error -1")]
    [InlineData("--bootstrap", "fit --curves /nonexistent.csv --bootstrap -5")]
    [InlineData("--holdout-last", "fit --curves /nonexistent.csv --holdout-last -1")]
    [InlineData("--best-guess", "fit --curves /nonexistent.csv --best-guess NaN")]
    [InlineData("--index", "trial --plan /nonexistent/plan.parquet --index -1")]
    [InlineData("--threads", "reeval --models /nonexistent --threads -1")]
    [InlineData("--jobs", "run --domain lm --out /nonexistent/never --jobs 0")]
    [InlineData("--cpus-per-task", "submit --plan /nonexistent/plan.parquet --slurm --cpus-per-task 0")]
    public async Task A_number_out_of_range_is_a_usage_error_naming_the_option(string option, string line)
    {
        var err = new StringWriter();
        int code = await Cli.Run(line.Split(' '), err, TextWriter.Null);
        Assert.Equal(2, code);
        Assert.Contains(option, err.ToString());
        Assert.Contains("must be", err.ToString());
    }
}

/// <summary>The relative difference of a re-evaluation is finite where the recorded value is 0.</summary>
public class ReevalDifferenceTests
{
    [Theory]
    [InlineData(0.0, 0.0, 0.0)]
    [InlineData(0.5, 0.0, 1.0)]
    [InlineData(0.0, 0.5, -1.0)]
    [InlineData(1.01, 1.0, 0.0099009900990099)]
    public void Relative_difference_is_bounded(double value, double recorded, double expected)
        => Assert.Equal(expected, Lab.Pipeline.Reeval.ReevalRow.Relative(value, recorded), 12);
}

/// <summary>A trial hit by a native exception is run once more in the same run, and its row says so.</summary>
public class TrialRetryTests
{
    static readonly Lab.Pipeline.Results.TrialRow Start = new() { TrialId = "t", Status = "running" };

    [Fact]
    public void A_native_failure_is_retried_once_and_recorded()
    {
        int calls = 0;
        var row = Lab.Pipeline.Study.TrialKit.Guard(Start, r => ++calls == 1
            ? throw new System.Runtime.InteropServices.ExternalException("Unknown scalar type")
            : r with { Status = "ok" });
        Assert.Equal(("ok", 2, 2), (row.Status, row.Attempts, calls));
        Assert.Contains("attempt 1 failed (ExternalException: Unknown scalar type)", row.Reason);
    }

    [Fact]
    public void A_second_native_failure_fails_the_trial_with_both_reasons()
    {
        int calls = 0;
        var row = Lab.Pipeline.Study.TrialKit.Guard(Start, _ => throw new System.Runtime.InteropServices.ExternalException($"boom {++calls}"));
        Assert.Equal(("failed", 2, 2), (row.Status, row.Attempts, calls));
        Assert.Contains("boom 1", row.Reason);
        Assert.Contains("boom 2", row.Reason);
    }

    [Fact]
    public void Other_exceptions_fail_at_once()
    {
        int calls = 0;
        var row = Lab.Pipeline.Study.TrialKit.Guard(Start, _ => { calls++; throw new InvalidDataException("bad shard"); });
        Assert.Equal(("failed", 1, 1), (row.Status, row.Attempts, calls));
        Assert.Equal("InvalidDataException: bad shard", row.Reason);
    }
}
