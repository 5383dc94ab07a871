using LanguageExt;
namespace Lab.Stages.Search;

/// <summary>A configuration of one family on one shard: a position on the size ladder and one on the learning-rate
/// ladder (both ascending).</summary>
public sealed record Config(int Size, int Lr);

/// <summary>One training run the search asks for: a configuration on a shard with a replicate number (0 = the study
/// seed; 1.. = further seeds of the shard's best configuration).</summary>
public sealed record SearchTrial(int Shard, int Size, int Lr, int Replicate, int Round)
{
    /// <summary>The configuration it trains.</summary>
    public Config Config => new(Size, Lr);
}

/// <summary>What the search concluded for one shard of one family.</summary>
/// <param name="Shard">Shard index.</param>
/// <param name="Best">The best-fit configuration: the smallest size within the margin of the best error, at its best learning rate.</param>
/// <param name="Errors">The best-fit configuration's error for each seed (replicate 0 first).</param>
/// <param name="Margin">The relative noise margin the walk used.</param>
/// <param name="BoundBy">Empty when bracketed; else what ended the walk: "size-cap" (the ladder's largest model
/// was best-fit), "small-data" (its smallest, with the next size up within the margin: the sizes are indistinguishable,
/// the small-data region), "size-floor" (its smallest, the next size up measurably worse), "lr-edge" (an end of the learning-rate ladder, measurably better than the
/// next rate inward), "trial-cap".</param>
/// <param name="Trials">Every trial of the shard, in the order the search asked for them.</param>
public sealed record ShardResult(int Shard, Config Best, Seq<double> Errors, double Margin, Seq<string> BoundBy, Seq<SearchTrial> Trials)
{
    /// <summary>The ladders as they stood when the shard concluded (grown beyond the preset's where the walk bound at an
    /// end; <see cref="BestFitSearch.Grow"/>). Null when not known.</summary>
    public Ladders? Span { get; init; }
    /// <summary>Both neighbours in size measured and on the right side of the margin, learning rate inside its ladder.</summary>
    public bool Bracketed => BoundBy.IsEmpty;
    /// <summary>In the small-data region: the ladder's smallest size, every measured larger size within the margin.</summary>
    public bool SmallData => BoundBy.Contains("small-data");
    /// <summary>The best-fit size is the bottom of the size ladder (size-floor or small-data): the optimum lies there or below.</summary>
    public bool FloorBound => BoundBy.Contains("size-floor") || BoundBy.Contains("small-data");
    /// <summary>The best-fit size is inside the size ladder (not at either end): a point of s(m), not a bound on it.</summary>
    public bool Located => !FloorBound && !BoundBy.Contains("size-cap");
    /// <summary>Mean error over seeds.</summary>
    public double Mean => Errors.Average();
    /// <summary>Sample standard deviation over seeds (NaN for one seed).</summary>
    public double Std => Core.Statistics.SampleStd(Errors.ToList());
    /// <summary>The seeds' noise relative to their mean error, without one seed that failed to train: with three seeds or
    /// more, the worst seed is left out when it is over 2 % above the others' mean and their spread is under 0.15 of the
    /// spread with it (a seed on a plateau the others left, or a CTC model stuck on blanks: CER 1.0 beside 0.78 and 0.79
    /// has a spread of 0.12 with it, 0.005 without). Normal noise of well under 1 % never meets the first condition, so
    /// such points keep their plain sample spread; a robust estimator such as the median absolute deviation would instead
    /// read three normal seeds as about a third less noisy than their sample spread (measured: the lm walks then ran to
    /// the width cap).</summary>
    public double RelativeNoise
    {
        get
        {
            var all = Errors.ToList();
            if (all.Count >= 3 && all.All(double.IsFinite))
            {
                all.Sort();
                var rest = all.Take(all.Count - 1).ToList();
                double without = Core.Statistics.SampleStd(rest);
                if (all[^1] > 1.02 * rest.Average() && without < 0.15 * Core.Statistics.SampleStd(all)) return without / rest.Average();
            }
            return Std / Mean;
        }
    }
}

/// <summary>Where a family's search stands: the shards it has concluded, the trials it needs next (none: finished), and
/// every trial it has asked for so far in the order it asked (the next ones included).</summary>
public sealed record SearchState(Seq<ShardResult> Done, Seq<SearchTrial> Next, Seq<SearchTrial> Visited)
{
    /// <summary>Every shard concluded.</summary>
    public bool Finished => Next.IsEmpty;
}

/// <summary>What the guided start needs to know of the ladders: each shard's size m and each size's parameter count
/// (ascending).</summary>
public sealed record SearchGeometry(Seq<double> ShardSizes, Seq<double> SizeParams)
{
    /// <summary>Shards doubling from 1, each size twice the parameters of the one below (what a plain replay assumes).</summary>
    public static SearchGeometry Doubling(int shards, int sizes)
        => new(Enumerable.Range(0, Math.Max(shards, 0)).Select(k => Math.Pow(2, k)).ToSeq(), Enumerable.Range(0, Math.Max(sizes, 0)).Select(i => Math.Pow(2, i)).ToSeq());
}

/// <summary>A span of both ladders, inclusive positions: the preset's own ladders, or the ladders as a walk has grown them
/// into the reserve around them (<see cref="BestFitSearch.Grow"/>).</summary>
public sealed record Ladders(int SizeLo, int SizeHi, int LrLo, int LrHi)
{
    /// <summary>Every position of ladders of <paramref name="sizes"/> sizes and <paramref name="rates"/> rates.</summary>
    public static Ladders All(int sizes, int rates) => new(0, sizes - 1, 0, rates - 1);

    /// <summary>A non-empty span inside ladders of that length.</summary>
    public bool Within(int sizes, int rates) => SizeLo >= 0 && SizeLo <= SizeHi && SizeHi < sizes && LrLo >= 0 && LrLo <= LrHi && LrHi < rates;

    /// <summary>How this span reaches beyond <paramref name="preset"/>: sizes above and below, rates above and below (all 0: not grown).</summary>
    public (int SizesAbove, int SizesBelow, int RatesAbove, int RatesBelow) Beyond(Ladders preset)
        => (SizeHi - preset.SizeHi, preset.SizeLo - SizeLo, LrHi - preset.LrHi, preset.LrLo - LrLo);
}
