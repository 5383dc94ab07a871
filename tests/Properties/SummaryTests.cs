using Lab.Pipeline.Results;
using Lab.Pipeline.Study;

namespace Lab.Tests;

/// <summary>The summary's caution on beta_p when the grid's largest model wins most sizes.</summary>
public class SummaryTests
{
    static CurveRow Point(int shard, double parameters) => new() { Curve = "d:val", ShardIndex = shard, M = 1000 << shard, Params = parameters };
    static TrialRow Trial(string arch, long parameters) => new() { Status = "ok", Architecture = arch, Parameters = parameters };

    [Fact]
    public void Beta_p_is_flagged_grid_bound_when_the_largest_model_wins_half_the_sizes_or_more()
    {
        var spec = new CurveSpec("d:val", "val", "test", 1);
        TrialRow[] rows = [Trial("a", 10), Trial("a", 20), Trial("a", 40), Trial("b", 80)];
        Assert.Contains("wins at 2 of 3 sizes", Summary.GridBound(spec, [Point(0, 10), Point(1, 80), Point(2, 80)], rows));
        Assert.Equal("", Summary.GridBound(spec, [Point(0, 10), Point(1, 20), Point(2, 80)], rows));
        // a per-architecture curve compares with its own architecture's largest model
        var specA = spec with { Architecture = "a" };
        Assert.Contains("wins at 2 of 3 sizes", Summary.GridBound(specA, [Point(0, 10), Point(1, 40), Point(2, 40)], rows));
        Assert.Equal("", Summary.GridBound(specA, [Point(0, 10), Point(1, 20), Point(2, 40)], rows));
    }
}
