namespace Lab.Stages.Subset;

/// <summary>Example indices of the validation, test and training splits (training in its shuffled shard order).</summary>
public sealed record Splits(int[] Val, int[] Test, int[] Train)
{
    /// <summary>
    /// Shuffles example indices with the seed; validation takes examples from the front until it holds
    /// <paramref name="valSize"/> units, test the next <paramref name="testSize"/>, training the rest in that order.
    /// Disjoint by construction; shards are prefixes of <see cref="Train"/>, so no shard touches validation or test.
    /// </summary>
    public static Splits Cut(IReadOnlyList<int> exampleSizes, long valSize, long testSize, long seed)
    {
        var order = Shards.Permutation(exampleSizes.Count, seed);
        int at = 0;
        int[] Take(long size)
        {
            int start = at; long n = 0;
            while (n < size && at < order.Length) n += exampleSizes[order[at++]];
            return order[start..at];
        }
        var val = Take(valSize);
        var test = Take(testSize);
        return new Splits(val, test, order[at..]);
    }
}
