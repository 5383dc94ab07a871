namespace Lab.Stages.Subset;

/// <summary>
/// How a preset sizes its shards: the largest is the whole training split or <see cref="Cap"/>, whichever is smaller,
/// and the ladder halves down from it while a shard stays at least <see cref="Smallest"/>. A small corpus gets fewer
/// shards; fewer than <see cref="MinShards"/> is an error.
/// </summary>
/// <param name="Smallest">The smallest shard size allowed (in the domain's unit).</param>
/// <param name="Cap">The largest shard size allowed.</param>
/// <param name="MinShards">The fewest shards a learning curve is worth fitting from.</param>
public sealed record ShardLadder(long Smallest, long Cap, int MinShards)
{
    /// <summary>The training data the ladder needs at the least: <see cref="MinShards"/> doublings from the smallest.</summary>
    public long MinimumData => Smallest << (MinShards - 1);

    /// <summary>The shard targets for a training split of <paramref name="total"/> units, smallest first, each a
    /// multiple of <paramref name="quantum"/> (the class count for class-balanced image shards).</summary>
    public IReadOnlyList<long> Targets(long total, long quantum = 1)
    {
        long top = Math.Min(total, Cap) / quantum * quantum;
        var targets = new List<long>();
        for (long t = top; t >= Smallest && t > 0; t = t / 2 / quantum * quantum) targets.Add(t);
        targets.Reverse();
        return targets;
    }
}
