using LanguageExt;
namespace Lab.Stages.Subset;

/// <summary>Nested shards that double in size (halving down from the data), cut as prefixes of a seeded permutation of the training examples.</summary>
public static class Shards
{
    /// <summary>A deterministic permutation of 0..n-1 for a seed (Fisher–Yates with a seeded generator).</summary>
    public static int[] Permutation(int n, long seed)
    {
        var order = Enumerable.Range(0, n).ToArray();
        var rng = new Random(unchecked((int)(seed ^ (seed >> 32))));
        for (int i = n - 1; i > 0; i--) { int j = rng.Next(i + 1); (order[i], order[j]) = (order[j], order[i]); }
        return order;
    }

    /// <summary>
    /// Cuts the shards of a ladder from examples of the given sizes, taken in the given (already shuffled) order: the
    /// largest is the whole split or the ladder's cap, and each smaller one half of the next (see
    /// <see cref="ShardLadder.Targets"/>); shard k is the shortest prefix whose size reaches its target, so prefixes
    /// nest by construction. Fewer shards than the ladder's minimum is an error naming the minimum and what the data holds.
    /// </summary>
    public static Either<Problem, Seq<Shard>> Halving(IReadOnlyList<int> exampleSizes, ShardLadder ladder, string unit, long quantum = 1)
    {
        if (ladder.Smallest <= 0 || ladder.Cap < ladder.Smallest || ladder.MinShards < 1)
            return new Problem($"shard ladder {ladder} must have 0 < smallest <= cap and at least one shard");
        long total = exampleSizes.Sum(s => (long)s);
        var targets = ladder.Targets(total, quantum);
        if (targets.Count < ladder.MinShards)
            return new Problem($"the training split has {total:N0} {unit}, enough for {targets.Count} halving shards of at least {ladder.Smallest:N0} {unit}; " +
                               $"a learning curve needs at least {ladder.MinShards} (so at least {ladder.MinimumData:N0} {unit} of training data)",
                "give more data with --data, or choose a preset with smaller shards (smoke)");
        return Cut(exampleSizes, targets);
    }

    /// <summary>Shard k is the shortest prefix whose size reaches target k (targets ascending, at most the total).</summary>
    static Seq<Shard> Cut(IReadOnlyList<int> exampleSizes, IReadOnlyList<long> targets)
    {
        var shards = new List<Shard>();
        long running = 0; int taken = 0;
        for (int k = 0; k < targets.Count; k++)
        {
            while (running < targets[k] && taken < exampleSizes.Count) running += exampleSizes[taken++];
            shards.Add(new Shard(k, taken, running, targets[k]));
        }
        return shards.ToSeq();
    }

}
