using Lab.Stages.Core;
using LanguageExt;

namespace Lab.Stages.Subset;

/// <summary>Nested shards that double in size, cut as prefixes of a seeded permutation of the training examples.</summary>
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
    /// Cuts <paramref name="count"/> shards with targets base·2^k from examples of the given sizes, taken in the given
    /// (already shuffled) order: shard k is the shortest prefix whose size reaches its target. Prefixes nest by construction.
    /// A target larger than the whole training split is an error naming the sizes.
    /// </summary>
    public static Either<Problem, Seq<Shard>> Doubling(IReadOnlyList<int> exampleSizes, long baseSize, int count)
    {
        if (baseSize <= 0 || count <= 0) return new Problem($"shard base {baseSize} and count {count} must be positive");
        long total = exampleSizes.Sum(s => (long)s);
        long largest = baseSize << (count - 1);
        if (largest > total)
            return new Problem($"the training split has {total:N0} units but the largest of {count} doubling shards needs {largest:N0}",
                "use a smaller preset or more data (--data)");
        var shards = new List<Shard>();
        long running = 0; int taken = 0;
        for (int k = 0; k < count; k++)
        {
            long target = baseSize << k;
            while (running < target) running += exampleSizes[taken++];
            shards.Add(new Shard(k, taken, running, target));
        }
        return shards.ToSeq();
    }
}
