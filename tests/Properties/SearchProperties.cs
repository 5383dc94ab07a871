using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Lab.Stages.Search;

namespace Lab.Tests;

/// <summary>
/// The best-fit search on synthetic objectives whose optimum is known: inside the ladders (found and bracketed), beyond
/// the size cap (reported as bound by it), noisy (bracketed within the noise); deterministic; a kill at any point
/// resumes to the same trials.
/// </summary>
public class SearchProperties
{
    /// <summary>An error surface over (shard, size, lr): from each shard's optimal size on, a larger model gains only
    /// <paramref name="flatGain"/> (relative) per step — nothing measurable — while each step below costs 20 %; the learning
    /// rate is a bowl around its optimum (+10 % per step away). The optimum moves up one size every <paramref name="every"/> shards.</summary>
    static double Objective(int shard, int size, int lr, int sOpt, int lOpt, int every, double flatGain)
    {
        int opt = sOpt + shard / every;
        double e = 1.0 / (1 + 0.1 * shard);
        e *= size < opt ? Math.Pow(1.2, opt - size) : Math.Pow(1 - flatGain, size - opt);
        return e * (1 + 0.1 * Math.Abs(lr - lOpt));
    }

    /// <summary>Runs the search to the end the way `pipeline run` does: each round's trials measured, then replay.</summary>
    static (SearchState State, List<SearchTrial> Ran) Run(int shards, int sizes, int rates, SearchSettings s, Func<SearchTrial, double> f,
        Dictionary<SearchTrial, double>? known = null)
    {
        known ??= new Dictionary<SearchTrial, double>();
        var ran = new List<SearchTrial>();
        for (int guard = 0; guard < 10_000; guard++)
        {
            var state = BestFitSearch.Replay(shards, sizes, rates, s, t => known.TryGetValue(t with { Round = 0 }, out var v) ? v : null);
            if (state.Finished) return (state, ran);
            foreach (var t in state.Next) { known[t with { Round = 0 }] = f(t); ran.Add(t); }
        }
        throw new InvalidOperationException("the search did not finish");
    }

    [Property(MaxTest = 100)]
    public Property The_grid_baseline_trains_every_size_rate_and_seed_and_finds_the_same_optimum(PositiveInt a, PositiveInt b, PositiveInt c, PositiveInt d)
    {
        int sizes = 5 + a.Get % 3, rates = 3 + b.Get % 3, every = 1 + d.Get % 2, shards = 2 + c.Get % 2;
        int sOpt = 1 + c.Get % Math.Max(1, sizes - 2 - (shards - 1) / every), lOpt = 1 + (a.Get + b.Get) % (rates - 2);
        double F(SearchTrial t) => Objective(t.Shard, t.Size, t.Lr, sOpt, lOpt, every, 0.001) * (1 + 0.0001 * t.Replicate);
        var grid = new SearchSettings(Seeds: 3, Grid: true, PruneRelative: 0);
        var (state, ran) = Run(shards, sizes, rates, grid, F);
        var (walk, walked) = Run(shards, sizes, rates, new SearchSettings(Seeds: 3, MaxTrialsPerShard: 100), F);
        bool every1 = ran.Count == shards * sizes * rates * 3 && ran.Distinct().Count() == ran.Count;
        bool same = state.Done.Zip(walk.Done).All(p => p.Item1.Best == p.Item2.Best) && state.Done.ForAll(r => r.Errors.Count == 3);
        return (every1 && same && walked.Count < ran.Count).Label($"grid {ran.Count} trials, walk {walked.Count}; " +
            string.Join("; ", state.Done.Map(r => $"shard {r.Shard} grid {r.Best}")) + " / " + string.Join("; ", walk.Done.Map(r => $"walk {r.Best}")));
    }

    [Property(MaxTest = 200)]
    public Property An_optimum_inside_the_ladders_is_found_and_bracketed(PositiveInt a, PositiveInt b, PositiveInt c, PositiveInt d, PositiveInt e)
    {
        int sizes = 4 + a.Get % 6, rates = 3 + b.Get % 4, every = 1 + d.Get % 3;
        int shift = Math.Min((c.Get % 6) / every, sizes - 3);   // how far the optimum moves up over the shards
        int shards = shift * every + 1 + (c.Get % every);
        int sOpt = 1 + e.Get % (sizes - 2 - shift);
        int lOpt = 1 + (a.Get + b.Get) % (rates - 2);
        var s = new SearchSettings(Seeds: 3, MaxTrialsPerShard: 100, StartSize: 1, Diagonal: e.Get % 2 == 0);
        var (state, _) = Run(shards, sizes, rates, s, t => Objective(t.Shard, t.Size, t.Lr, sOpt, lOpt, every, 0.001));
        bool ok = state.Done.Count == shards && state.Done.ForAll(r =>
            r.Best.Size == sOpt + r.Shard / every && r.Best.Lr == lOpt && r.Bracketed && r.Errors.Count == 3);
        return ok.Label($"sizes {sizes} rates {rates} shards {shards} sOpt {sOpt} lOpt {lOpt} every {every} diagonal {s.Diagonal}: " +
                        string.Join("; ", state.Done.Map(r => $"shard {r.Shard} best {r.Best} bound [{string.Join(',', r.BoundBy)}]")));
    }

    [Property(MaxTest = 200)]
    public Property With_diagonal_steps_an_optimum_whose_best_rate_falls_with_size_is_found(PositiveInt a, PositiveInt b, PositiveInt c)
    {
        // each larger size is 5 % better up to the optimum (then flat), and its best learning rate is one step lower (as
        // Adam's best step for a wider LSTM, measured in nmt); one rate step away from the best costs 10 %. A step one
        // size up at the incumbent's rate costs more than it gains, so only a diagonal step climbs the ridge.
        int sizes = 4 + a.Get % 5, rates = sizes, shards = 1 + c.Get % 3;
        int sOpt = 1 + b.Get % (sizes - 2);
        int BestLr(int size) => rates - 1 - size;
        double F(SearchTrial t) => (t.Size < sOpt ? Math.Pow(1.05, sOpt - t.Size) : Math.Pow(0.999, t.Size - sOpt))
                                   * (1 + 0.1 * Math.Abs(t.Lr - BestLr(t.Size))) / (1 + 0.1 * t.Shard);
        var diagonal = Run(shards, sizes, rates, new SearchSettings(MaxTrialsPerShard: 100, StartSize: 0, Diagonal: true), F).State;
        var plain = Run(shards, sizes, rates, new SearchSettings(MaxTrialsPerShard: 100, StartSize: 0), F).State;
        bool ok = diagonal.Done.ForAll(r => r.Best.Size == sOpt && r.Best.Lr == BestLr(sOpt) && r.Bracketed);
        return ok.Label($"sizes {sizes} sOpt {sOpt}: diagonal {string.Join("; ", diagonal.Done.Map(r => $"{r.Best} [{string.Join(',', r.BoundBy)}]"))}" +
                        $" | plain walk {string.Join("; ", plain.Done.Map(r => $"{r.Best}"))}");
    }

    [Property(MaxTest = 100)]
    public Property An_optimum_beyond_the_size_cap_is_reported_as_bound_by_it(PositiveInt a, PositiveInt b, PositiveInt c)
    {
        int sizes = 3 + a.Get % 6, rates = 3 + b.Get % 3, shards = 1 + c.Get % 4;
        var s = new SearchSettings(MaxTrialsPerShard: 100, Diagonal: c.Get % 2 == 0);
        // every larger model is 10 % better: the best-fit size is past the ladder's end
        var (state, _) = Run(shards, sizes, rates, s, t => Math.Pow(0.9, t.Size) * (1 + 0.1 * Math.Abs(t.Lr - 1)));
        bool ok = state.Done.ForAll(r => r.Best.Size == sizes - 1 && r.BoundBy.Contains("size-cap") && !r.Bracketed);
        return ok.Label(string.Join("; ", state.Done.Map(r => $"shard {r.Shard} best {r.Best} bound [{string.Join(',', r.BoundBy)}]")));
    }

    [Property(MaxTest = 100)]
    public Property A_walk_that_reaches_the_trial_cap_says_so(PositiveInt a)
    {
        int sizes = 9, rates = 5;
        var s = new SearchSettings(MaxTrialsPerShard: 6 + a.Get % 2, StartSize: 0);
        // the optimum is at the top: the walk needs more rounds than the cap allows
        var (state, _) = Run(1, sizes, rates, s, t => Math.Pow(0.8, t.Size) * (1 + 0.1 * Math.Abs(t.Lr - 2)));
        var r = state.Done[0];
        bool ok = r.BoundBy.Contains("trial-cap") && r.Trials.Count(t => t.Replicate == 0) <= s.MaxTrialsPerShard;
        return ok.Label($"best {r.Best} bound [{string.Join(',', r.BoundBy)}] trials {r.Trials.Count}");
    }

    [Property(MaxTest = 200)]
    public Property One_point_with_a_failed_seed_does_not_widen_the_margin(PositiveInt seed, PositiveInt where)
    {
        // relative seed spreads of 0.5–1.5 % at most points, 20–40 % at one (a seed that failed to train)
        var rng = new Random(seed.Get);
        int n = 3 + where.Get % 5;
        var spreads = Enumerable.Range(0, n).Select(_ => 0.005 + 0.01 * rng.NextDouble()).ToList();
        spreads[where.Get % n] = 0.2 + 0.2 * rng.NextDouble();
        var s = new SearchSettings(MarginFloor: 0.001, NoiseZ: 2);
        double margin = s.Margin(spreads);
        // at most z × the largest ordinary spread, at least z × the smallest: the outlier does not count
        return (margin <= 2 * 0.015 + 1e-12 && margin >= 2 * 0.005 - 1e-12 && s.Margin([]) == 0.001 && s.Margin([double.NaN, 0.01]) == 0.02)
            .Label($"spreads {string.Join(", ", spreads.Select(x => x.ToString("F4")))} → margin {margin:F4}");
    }

    [Property(MaxTest = 100)]
    public Property A_seed_that_failed_on_the_first_shard_does_not_widen_the_next_margins(PositiveInt a, PositiveInt noiseSeed, PositiveInt which)
    {
        // 0.5 % seed noise everywhere; on the first shard one of the three seeds of the best fit failed to train (its error
        // 30 % above the others, as a CTC model stuck on blanks). With the plain spread the second shard's margin would be
        // about 2 × 17 %; without the failed seed it stays within a few times 2 × 0.5 % (three seeds, one of them chosen
        // as the lowest of the walk, measure the noise only roughly).
        int sizes = 7, rates = 5, shards = 3, sOpt = 2 + a.Get % 3, failed = 1 + which.Get % 2;
        const double noise = 0.005;
        double Noise(SearchTrial t) => noise * Normal(HashCode.Combine(noiseSeed.Get, t.Shard, t.Size, t.Lr, t.Replicate));
        var s = new SearchSettings(Seeds: 3, MarginFloor: 0.001, MaxTrialsPerShard: 100);
        var (state, _) = Run(shards, sizes, rates, s, t => Objective(t.Shard, t.Size, t.Lr, sOpt, 2, 100, 0.001) * (1 + Noise(t)) * (t.Shard == 0 && t.Replicate == failed ? 1.3 : 1));
        var first = state.Done[0];
        return (first.Std / first.Mean > 0.1 && state.Done.Skip(1).ForAll(r => r.Margin < 0.08))
            .Label(string.Join("; ", state.Done.Map(r => $"shard {r.Shard} errors {string.Join(",", r.Errors.Map(e => e.ToString("F4")))} margin {r.Margin:F4}")));
    }

    [Property(MaxTest = 100)]
    public Property Without_failed_seeds_a_point_s_noise_is_its_plain_seed_spread_at_most_points(PositiveInt seed)
    {
        // normal seed noise only: the failed-seed rule may leave a seed out by chance, but at few points (about 10 % of
        // triples), so the margin made of their median is the plain spread's
        var rng = new Random(seed.Get);
        var points = Enumerable.Range(0, 60).Select(k => new ShardResult(k, new Lab.Stages.Search.Config(0, 0),
            LanguageExt.Prelude.toSeq(Enumerable.Range(0, 3).Select(_ => 1 + 0.01 * Normal(rng.Next()))), 0.01, LanguageExt.Seq<string>.Empty, LanguageExt.Seq<SearchTrial>.Empty)).ToList();
        int plain = points.Count(p => p.RelativeNoise == p.Std / p.Mean);
        double ratio = Lab.Stages.Core.Statistics.Median(points.Select(p => p.RelativeNoise)) / Lab.Stages.Core.Statistics.Median(points.Select(p => p.Std / p.Mean));
        return (plain >= 45 && ratio > 0.8).Label($"{plain} of 60 plain, median ratio {ratio:F3}");
    }

    [Property(MaxTest = 150)]
    public Property A_noisy_objective_is_bracketed_within_the_noise(PositiveInt a, PositiveInt b, PositiveInt noiseSeed)
    {
        int sizes = 7, rates = 5, shards = 4, sOpt = 2 + a.Get % 3, lOpt = 1 + b.Get % 3;
        const double noise = 0.005;   // 0.5 % relative seed noise
        double Noise(SearchTrial t) => noise * Normal(HashCode.Combine(noiseSeed.Get, t.Shard, t.Size, t.Lr, t.Replicate));
        double True(int shard, int size, int lr) => Objective(shard, size, lr, sOpt, lOpt, 100, 0.001);
        var s = new SearchSettings(Seeds: 3, MarginFloor: 0.01, MaxTrialsPerShard: 100, Diagonal: noiseSeed.Get % 2 == 0);
        var (state, _) = Run(shards, sizes, rates, s, t => True(t.Shard, t.Size, t.Lr) * (1 + Noise(t)));
        // the best-fit configuration is within the noise of the true best-fit one: its true error no more than the
        // margin plus a few noise deviations above the true optimum, and never a smaller size that is measurably worse
        bool ok = state.Done.ForAll(r =>
        {
            double best = Enumerable.Range(0, sizes).SelectMany(z => Enumerable.Range(0, rates).Select(l => True(r.Shard, z, l))).Min();
            return True(r.Shard, r.Best.Size, r.Best.Lr) <= best * (1 + r.Margin + 6 * noise) && r.Best.Size >= sOpt - 0;
        });
        bool noiseMeasured = state.Done.ForAll(r => double.IsFinite(r.Std) && r.Std < 10 * noise * r.Mean);
        return (ok && noiseMeasured).Label(string.Join("; ", state.Done.Map(r => $"shard {r.Shard} best {r.Best} (opt {sOpt},{lOpt}) margin {r.Margin:F4} sd {r.Std:E2}")));
    }

    /// <summary>A standard normal draw from a hash (Box–Muller on two uniform draws of a generator seeded with it).</summary>
    static double Normal(int seed)
    {
        var rng = new Random(seed);
        double u1 = 1 - rng.NextDouble(), u2 = rng.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    [Property(MaxTest = 100)]
    public Property The_search_is_deterministic_and_a_kill_at_any_point_resumes_to_the_same_trials(PositiveInt a, PositiveInt b, PositiveInt kill)
    {
        int sizes = 5 + a.Get % 4, rates = 3 + b.Get % 3, shards = 3;
        var s = new SearchSettings(Seeds: 3, MaxTrialsPerShard: 12, Diagonal: kill.Get % 2 == 0);
        double F(SearchTrial t) => Objective(t.Shard, t.Size, t.Lr, 1 + a.Get % 3, 1, 2, 0.003) * (1 + 0.004 * Normal(HashCode.Combine(b.Get, t.Shard, t.Size, t.Lr, t.Replicate)));
        var (full, ran) = Run(shards, sizes, rates, s, F);
        var (again, ranAgain) = Run(shards, sizes, rates, s, F);
        // killed after k trials: the results on disk are the first k trials run; resume from them
        int k = kill.Get % (ran.Count + 1);
        var disk = ran.Take(k).ToDictionary(t => t with { Round = 0 }, F);
        var (resumed, ranAfter) = Run(shards, sizes, rates, s, F, disk);
        bool same = full.Visited.SequenceEqual(again.Visited) && ran.SequenceEqual(ranAgain)
                    && resumed.Visited.SequenceEqual(full.Visited) && ran.Skip(k).SequenceEqual(ranAfter);
        return same.Label($"killed after {k} of {ran.Count}: resumed ran {ranAfter.Count}");
    }
}
