namespace Lab.Pipeline.Study;

/// <summary>
/// What a study spent against what the equivalent full grid — every size × learning rate × seed of the preset's ladders (not the reserve) at every shard —
/// would have cost. Training compute is estimated as 6 × parameters × training units for both; a grid cell that was
/// not trained is costed with the median training units of its shard's trials (all families) and seconds at the
/// study's median FLOP rate.
/// </summary>
public sealed record Compute(double Flops, double Seconds, double GridFlops, double GridSeconds, int Trials, int GridTrials)
{
    /// <summary>The study's share of the full grid's compute.</summary>
    public double Ratio => GridFlops > 0 ? Flops / GridFlops : double.NaN;

    /// <summary>Training FLOPs per second measured in the study (median over trials).</summary>
    public double FlopsPerSecond { get; init; }

    /// <summary>The study's compute and the full grid's estimate.</summary>
    public static Compute Of(IReadOnlyList<TrialRow> results, IReadOnlyList<PlanRow> space, SearchSettings s)
    {
        var trained = results.Where(r => r.TrainUnits > 0).ToList();
        double flops = trained.Sum(r => r.TrainFlops), seconds = trained.Sum(r => r.TrainSeconds);
        double rate = Statistics.Median(trained.Where(r => r.TrainSeconds > 0).Select(r => r.TrainFlops / r.TrainSeconds));
        var unitsByShard = trained.GroupBy(r => r.ShardIndex).ToDictionary(g => g.Key, g => Statistics.Median(g.Select(r => (double)r.TrainUnits)));
        double gridFlops = 0;
        var preset = space.Where(c => !c.Reserve).ToList();
        foreach (var cell in preset)
        {
            if (!unitsByShard.TryGetValue(cell.ShardIndex, out var units)) continue;
            gridFlops += s.Seeds * 6.0 * cell.Parameters * units;
        }
        return new Compute(flops, seconds, gridFlops, gridFlops / rate, trained.Count, preset.Count * s.Seeds) { FlopsPerSecond = rate };
    }
}
