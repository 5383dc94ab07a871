namespace Lab.Stages.Search;

/// <summary>
/// How the best-fit search walks each shard (plain values a preset sets).
/// </summary>
/// <param name="Seeds">Training seeds of each shard's best configuration, in all (its noise is their spread).</param>
/// <param name="MarginFloor">The smallest noise margin, relative to the best error (used alone before any shard's seeds
/// have been measured).</param>
/// <param name="NoiseZ">The margin is this many relative seed standard deviations (the median over the shards done so
/// far), at least <see cref="MarginFloor"/>.</param>
/// <param name="StartSize">Ladder position of the first shard's first model (a small one).</param>
/// <param name="MaxTrialsPerShard">The compute cap of a shard's walk (first seeds only), counted beyond the trials its
/// travel needs: three more for every ladder step between where the walk started and its best-fit configuration
/// (<see cref="BestFitSearch.Allowance"/>). A walk that reaches it ends there and its point is reported as bound by it.</param>
/// <param name="PruneRelative">A candidate still worse than its round's incumbent's best validation loss by more than this
/// fraction after as many epochs as the incumbent needed is stopped as hopeless (0: never).</param>
/// <param name="Diagonal">The walk also steps one size up at half the learning rate and one size down at twice it. For
/// families whose best Adam step falls as they widen (measured in nmt: the LSTM's best rate halves per width doubling),
/// the plain step one size up at the incumbent's rate meets the larger model at a rate too high for it and finds it no
/// better. Off by default: it adds up to two trials per round.</param>
/// <param name="Grid">The naive protocol instead of the walk, as a baseline: every size × learning rate × seed at every
/// shard, in one round per shard, and the best-fit configuration chosen from all of them (by the mean over its seeds,
/// with the same margin rule). No trial cap; set <see cref="PruneRelative"/> to 0 so that every trial runs to its end.</param>
/// <param name="Guided">Once two shards are concluded inside the size ladder, each next shard's walk starts at the size
/// the s(m) fitted to them predicts (<see cref="BestFitSearch.Start"/>), not at the previous shard's best.</param>
/// <param name="GrowAbove">Sizes the study may add above the preset's largest, each one ladder step further (the step
/// between the preset's two largest sizes), tried only when a walk's best-fit size is the largest there is
/// (<see cref="BestFitSearch.Grow"/>). The stated cap on what the study trains beyond the preset: one step of a
/// doubling width ladder doubles the width (about four times a recurrent model's parameters and time).</param>
/// <param name="GrowBelow">Sizes the study may add below the preset's smallest, tried when a walk's best-fit size is
/// the smallest there is, before the point is called small-data or floor-bound.</param>
/// <param name="GrowRates">Learning rates the study may add past each end of the preset's ladder (one ladder step each),
/// tried when an end rate is measurably better than the next inward.</param>
public sealed record SearchSettings(int Seeds = 3, double MarginFloor = 0.01, double NoiseZ = 2.0, int StartSize = 1,
    int MaxTrialsPerShard = 12, double PruneRelative = 0.25, bool Diagonal = false, bool Grid = false, bool Guided = true,
    int GrowAbove = 1, int GrowBelow = 1, int GrowRates = 1)
{
    /// <summary>The relative margin once seed spreads are known: max(floor, z × the median of the points' relative
    /// standard deviations). The median, not a pooled mean of squares: one point whose seeds include a failed run (a
    /// relative spread of 28 % among points of 1–3 %, measured in the image study) would otherwise widen the margin of
    /// every later shard until every size is "within the noise" and the walk ends at the bottom of its ladder.</summary>
    public double Margin(IReadOnlyList<double> relativeStds)
    {
        double median = Lab.Stages.Core.Statistics.Median(relativeStds.Where(double.IsFinite));
        return double.IsNaN(median) ? MarginFloor : Math.Max(MarginFloor, NoiseZ * median);
    }
}
