namespace Lab.Stages.Subset;

/// <summary>A training subset: the first <see cref="Examples"/> examples of the seeded training order.</summary>
/// <param name="Index">0 for the smallest.</param>
/// <param name="Examples">How many examples (a prefix of the shuffled training order, so shards nest).</param>
/// <param name="Size">The size in the domain's unit (tokens for language models), at least the target.</param>
/// <param name="Target">The doubling target size it was cut for.</param>
public sealed record Shard(int Index, int Examples, long Size, long Target);
