using Lab.Pipeline.Results;
using Lab.Pipeline.Study;

namespace Lab.Tests;

/// <summary>The summary's caution on points the search could not bracket.</summary>
public class SummaryTests
{
    static CurveRow Point(int shard, bool bracketed, string bound = "") => new() { Curve = "d:val", ShardIndex = shard, M = 1000 << shard, Bracketed = bracketed, BoundBy = bound };
    static TrialRow Trial(string arch, long parameters) => new() { Status = "ok", Architecture = arch, Parameters = parameters };

    [Fact]
    public void Points_bound_by_a_cap_are_counted_by_cause_with_the_cap_named()
    {
        var spec = new CurveSpec("d:val", "val", "test", 1);
        TrialRow[] rows = [Trial("a", 10), Trial("a", 20), Trial("a", 40), Trial("b", 80)];
        var text = Summary.Bound(spec, [Point(0, true), Point(1, false, "size-cap"), Point(2, false, "size-cap,lr-edge")], rows);
        Assert.Contains("bound at 2 of 3 points", text);
        Assert.Contains("size-cap 2", text);
        Assert.Contains("lr-edge 1", text);
        Assert.Contains("largest model trained 80 parameters", text);
        Assert.Equal("", Summary.Bound(spec, [Point(0, true), Point(1, true)], rows));
        // a per-architecture curve names its own family's cap
        Assert.Contains("largest model trained 40 parameters", Summary.Bound(spec with { Architecture = "a" }, [Point(0, false, "size-cap")], rows));
    }
}
