using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Lab.Stages.Subset;

namespace Lab.Tests;

public class SubsetProperties
{
    static int[] Sizes(int seed, int n)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => 1 + rng.Next(60)).ToArray();
    }

    [Property(MaxTest = 50)]
    public Property Shards_nest_double_and_never_touch_validation_or_test(PositiveInt seed, byte countPick)
    {
        var sizes = Sizes(seed.Get, 3000);
        var splits = Splits.Cut(sizes, 2000, 2000, seed.Get);
        int count = 1 + countPick % 6;
        var trainSizes = splits.Train.Select(i => sizes[i]).ToArray();
        return Shards.Doubling(trainSizes, 300, count).Match(shards =>
        {
            var heldOut = splits.Val.Concat(splits.Test).ToHashSet();
            bool disjoint = splits.Val.Intersect(splits.Test).Any() == false
                            && shards.ForAll(s => !splits.Train.Take(s.Examples).Any(heldOut.Contains));
            bool nested = shards.Zip(shards.Skip(1)).All(p => p.Item1.Examples <= p.Item2.Examples && p.Item1.Size < p.Item2.Size);
            bool sized = shards.ForAll(s => s.Size >= s.Target && s.Size - trainSizes[s.Examples - 1] < s.Target && s.Target == 300L << s.Index);
            bool everyExampleOnce = splits.Val.Length + splits.Test.Length + splits.Train.Length == sizes.Length
                                    && splits.Val.Concat(splits.Test).Concat(splits.Train).Distinct().Count() == sizes.Length;
            return (disjoint && nested && sized && everyExampleOnce).Label($"disjoint {disjoint} nested {nested} sized {sized} once {everyExampleOnce}");
        }, e => false.Label(e.ToString()));
    }

    [Property(MaxTest = 30)]
    public bool Splits_are_deterministic_for_a_seed_and_differ_across_seeds(PositiveInt seed)
    {
        var sizes = Sizes(7, 500);
        var a = Splits.Cut(sizes, 1000, 1000, seed.Get);
        var b = Splits.Cut(sizes, 1000, 1000, seed.Get);
        var c = Splits.Cut(sizes, 1000, 1000, seed.Get + 1);
        return a.Val.SequenceEqual(b.Val) && a.Train.SequenceEqual(b.Train) && !a.Train.SequenceEqual(c.Train);
    }

    [Property(MaxTest = 20)]
    public bool A_shard_larger_than_the_training_split_is_an_error(PositiveInt seed)
    {
        var sizes = Sizes(seed.Get, 50);
        long total = sizes.Sum();
        return Shards.Doubling(sizes, total, 2).Match(_ => false, e => e.What.Contains("largest"));
    }
}
