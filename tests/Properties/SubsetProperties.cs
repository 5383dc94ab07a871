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

    [Property(MaxTest = 60)]
    public Property Shards_halve_from_the_data_nest_and_never_touch_validation_or_test(PositiveInt seed, PositiveInt capPick, byte smallPick)
    {
        var sizes = Sizes(seed.Get, 3000);
        var splits = Splits.Cut(sizes, 2000, 2000, seed.Get);
        var trainSizes = splits.Train.Select(i => sizes[i]).ToArray();
        long total = trainSizes.Sum(s => (long)s);
        var ladder = new ShardLadder(50 + smallPick, 400 + capPick.Get % 200_000, 1);
        return Shards.Halving(trainSizes, ladder, "units").Match(shards =>
        {
            var heldOut = splits.Val.Concat(splits.Test).ToHashSet();
            bool disjoint = !splits.Val.Intersect(splits.Test).Any() && shards.ForAll(s => !splits.Train.Take(s.Examples).Any(heldOut.Contains));
            bool nested = shards.Zip(shards.Skip(1)).All(p => p.Item1.Examples <= p.Item2.Examples && p.Item1.Size < p.Item2.Size);
            bool top = shards.Last().Target == Math.Min(total, ladder.Cap);
            bool halving = shards.Zip(shards.Skip(1)).All(p => p.Item1.Target == p.Item2.Target / 2) && shards.Head.Target >= ladder.Smallest
                           && shards.Head.Target / 2 < ladder.Smallest;
            bool sized = shards.ForAll(s => s.Size >= s.Target && s.Size - trainSizes[s.Examples - 1] < s.Target);
            bool everyExampleOnce = splits.Val.Concat(splits.Test).Concat(splits.Train).Distinct().Count() == sizes.Length;
            return (disjoint && nested && top && halving && sized && everyExampleOnce)
                .Label($"disjoint {disjoint} nested {nested} top {top} halving {halving} sized {sized} once {everyExampleOnce}");
        }, e => false.Label(e.ToString()));
    }

    [Property(MaxTest = 40)]
    public bool Class_balanced_shards_are_multiples_of_the_class_count(PositiveInt total, byte kPick)
    {
        int k = 2 + kPick % 20;
        var ladder = new ShardLadder(k * 3, 1_000_000, 1);
        var targets = ladder.Targets(k * 3 + total.Get % 100_000, k);
        return targets.All(t => t % k == 0 && t >= ladder.Smallest);
    }

    [Property(MaxTest = 30)]
    public bool Too_little_data_for_the_minimum_number_of_shards_is_an_error_naming_both(PositiveInt seed, byte minPick)
    {
        var sizes = Sizes(seed.Get, 40);
        long total = sizes.Sum();
        int min = 2 + minPick % 5;
        // a smallest shard just above total / 2^(min-1): the ladder fits min - 1 shards at most
        var ladder = new ShardLadder(total / (1L << (min - 1)) + 1, 1_000_000, min);
        return Shards.Halving(sizes, ladder, "tokens").Match(_ => false,
            e => e.What.Contains($"at least {min}") && e.What.Contains($"{total:N0} tokens") && e.What.Contains($"{ladder.MinimumData:N0}"));
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
}
