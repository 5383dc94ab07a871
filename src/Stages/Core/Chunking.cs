namespace Lab.Stages.Core;

/// <summary>Splits a list into batches.</summary>
public static class Chunking
{
    /// <summary>Consecutive groups of at most <paramref name="size"/> items, in order.</summary>
    public static IEnumerable<int[]> Chunks(IReadOnlyList<int> items, int size)
    {
        for (int i = 0; i < items.Count; i += size) yield return items.Skip(i).Take(size).ToArray();
    }
}
