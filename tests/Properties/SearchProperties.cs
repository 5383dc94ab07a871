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
public class SearchProperties(Xunit.Abstractions.ITestOutputHelper output)
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
        Dictionary<SearchTrial, double>? known = null, SearchGeometry? geometry = null, Ladders? core = null)
    {
        known ??= new Dictionary<SearchTrial, double>();
        var ran = new List<SearchTrial>();
        for (int guard = 0; guard < 10_000; guard++)
        {
            var state = BestFitSearch.Replay(shards, sizes, rates, s, t => known.TryGetValue(t with { Round = 0 }, out var v) ? v : null, geometry, core);
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
        // a cap below what one step costs: after the first round (5 trials) each step allows 3 more, and asks 3 new neighbours
        var s = new SearchSettings(MaxTrialsPerShard: 2 + a.Get % 2, StartSize: 0);
        // the optimum is at the top: the walk needs more trials than the cap and its travel allow
        var (state, _) = Run(1, sizes, rates, s, t => Math.Pow(0.8, t.Size) * (1 + 0.1 * Math.Abs(t.Lr - 2)));
        var r = state.Done[0];
        int firstSeeds = r.Trials.Count(t => t.Replicate == 0);
        bool ok = r.BoundBy.Contains("trial-cap") && r.Best.Size < sizes - 1
            && firstSeeds <= BestFitSearch.Allowance(s, new Lab.Stages.Search.Config(0, (rates - 1) / 2), r.Best);
        return ok.Label($"best {r.Best} bound [{string.Join(',', r.BoundBy)}] trials {firstSeeds}");
    }

    [Property(MaxTest = 100)]
    public Property The_trial_cap_counts_beyond_the_walks_travel(PositiveInt a, PositiveInt b, PositiveInt c)
    {
        // a corpus no preset was tuned for: the optimum lies 4–8 sizes (and 0–1 rates) from where the walk starts. Counted
        // from the first trial, the preset's cap of 12 stops the walk on its way (as measured on a real corpus: "still
        // climbing one width per round"); counted beyond the trials its travel needs, the walk reaches the optimum and
        // brackets it. A walk the plain cap does not stop asks exactly the same trials either way.
        int sizes = 10, rates = 5, opt = 4 + a.Get % 5, lOpt = 1 + b.Get % 3;
        bool diagonal = c.Get % 2 == 0;
        double F(SearchTrial t) => Objective(0, t.Size, t.Lr, opt, lOpt, 1, 0.001);
        var s = new SearchSettings(MaxTrialsPerShard: 12, StartSize: 0, Diagonal: diagonal, Seeds: 1);
        var (state, ran) = Run(1, sizes, rates, s, F);
        var r = state.Done[0];
        bool found = r.Bracketed && r.Best == new Lab.Stages.Search.Config(opt, lOpt);
        // the plain count would have stopped it on the way: the walk needed more than the cap's 12 trials
        bool plainWouldStop = ran.Count > 12;
        var near = Run(1, sizes, rates, s with { StartSize = opt }, F);
        var nearPlain = Run(1, sizes, rates, s with { StartSize = opt, MaxTrialsPerShard = 1000 }, F);
        bool same = near.Ran.SequenceEqual(nearPlain.Ran) && near.State.Done[0].Bracketed;
        return (found && plainWouldStop && same).Label($"opt ({opt},{lOpt}) diagonal {diagonal}: best {r.Best} bound [{string.Join(',', r.BoundBy)}] after {ran.Count} trials; from the optimum {near.Ran.Count} trials");
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

    /// <summary>A study whose best-fit size grows as a known power of m: shards doubling from m0, a size ladder whose
    /// parameters grow by <c>ratio</c> per step, and a true best-fit size s(m) = s0·(m/m0)^betaP; the optimal ladder
    /// position is the one nearest s(m) in log parameters (each step below it costs 20 %, each above gains 0.1 %), the
    /// best learning rate is the middle one (10 % per step away), with relative seed noise <c>noise</c>.</summary>
    sealed record PowerStudy(int Shards, int Sizes, int Rates, double Ratio, double BetaP, double Start, double Noise, int NoiseSeed)
    {
        public SearchGeometry Geometry => new(Enumerable.Range(0, Shards).Select(k => 4000 * Math.Pow(2, k)).ToSeq(),
                                              Enumerable.Range(0, Sizes).Select(i => 1e4 * Math.Pow(Ratio, i)).ToSeq());
        public int Optimum(int shard) => Math.Clamp((int)Math.Round(Start + BetaP * shard * Math.Log(2) / Math.Log(Ratio)), 0, Sizes - 1);
        public double True(int shard, int size, int lr)
        {
            int opt = Optimum(shard);
            return 1.0 / (1 + 0.1 * shard) * (size < opt ? Math.Pow(1.2, opt - size) : Math.Pow(0.999, size - opt)) * (1 + 0.1 * Math.Abs(lr - Rates / 2));
        }
        public double Measure(SearchTrial t) => True(t.Shard, t.Size, t.Lr) * (1 + Noise * Normal(HashCode.Combine(NoiseSeed, t.Shard, t.Size, t.Lr, t.Replicate)));
        public override string ToString() => $"shards {Shards} sizes {Sizes} ratio {Ratio:F2} beta_p {BetaP:F2} start {Start:F1} noise {Noise}";
    }

    static Gen<PowerStudy> PowerStudies =>
        from shards in Gen.Choose(4, 7)
        from ratio in Gen.Choose(13, 40).Select(v => v / 10.0)
        from beta in Gen.Choose(50, 95).Select(v => v / 100.0)
        from start in Gen.Choose(10, 25).Select(v => v / 10.0)
        from noise in Gen.Elements(0.0, 0.003)
        from seed in Gen.Choose(1, 1_000_000)
        let rises = (int)Math.Ceiling(beta * (shards - 1) * Math.Log(2) / Math.Log(ratio))
        select new PowerStudy(shards, (int)Math.Round(start) + rises + 3, 5, ratio, beta, start, noise, seed);

    [Fact]
    public void A_best_fit_size_growing_as_a_power_of_m_is_found_in_fewer_trials_when_the_walk_starts_where_s_of_m_points()
    {
        // 200 studies drawn with a fixed seed; the same walk with and without the guided start (the plain walk starts each
        // shard at the previous shard's best)
        var studies = PowerStudies.Sample(200, new Rnd(20261203UL, 31UL), 50);
        var results = studies.AsParallel().AsOrdered().Select(p =>
        {
            var guided = Run(p.Shards, p.Sizes, p.Rates, new SearchSettings(Seeds: 3, MaxTrialsPerShard: 100, MarginFloor: 0.01), p.Measure, geometry: p.Geometry);
            var plain = Run(p.Shards, p.Sizes, p.Rates, new SearchSettings(Seeds: 3, MaxTrialsPerShard: 100, MarginFloor: 0.01, Guided: false), p.Measure, geometry: p.Geometry);
            // found: bracketed, and within the noise of the optimum (its true error no more than the margin and a few noise
            // deviations above the optimum's, never a smaller size, which costs 20 %)
            bool found = guided.State.Done.ForAll(r => r.Bracketed && r.Best.Size >= p.Optimum(r.Shard)
                && p.True(r.Shard, r.Best.Size, r.Best.Lr) <= p.True(r.Shard, p.Optimum(r.Shard), p.Rates / 2) * (1 + r.Margin + 6 * p.Noise));
            return (Study: p, Found: found, Guided: guided.Ran.Count, Plain: plain.Ran.Count);
        }).ToList();
        var lost = results.Where(r => !r.Found).ToList();
        Assert.True(lost.Count == 0, $"{lost.Count} studies where the guided walk missed a point, e.g. {lost.FirstOrDefault().Study}");
        int guidedTotal = results.Sum(r => r.Guided), plainTotal = results.Sum(r => r.Plain);
        int worse = results.Count(r => r.Guided > r.Plain), better = results.Count(r => r.Guided < r.Plain);
        output.WriteLine($"guided {guidedTotal} trials, plain {plainTotal} ({1 - guidedTotal / (double)plainTotal:P1} fewer); fewer in {better}, more in {worse} of {results.Count} studies");
        // (measured: about 9 % fewer, more in 12 of 200: a start one step off costs the round it saves elsewhere)
        Assert.True(guidedTotal < 0.95 * plainTotal, $"guided {guidedTotal} trials, plain {plainTotal}");
        Assert.True(worse <= results.Count / 10, $"{worse} of {results.Count} studies took more trials guided");
    }

    [Property(MaxTest = 100)]
    public Property The_guided_start_is_the_nearest_size_to_the_fitted_s_of_m_and_never_below_the_previous_best(PositiveInt a, PositiveInt b, PositiveInt c)
    {
        // two or three concluded shards on an exact power law s(m) ∝ m^beta on a ladder of ratio r: the next start is
        // the ladder position of s at the next m (rounded), clamped to the ladder
        double ratio = 2 + (a.Get % 3), beta = 0.5 + (b.Get % 5) / 10.0;
        int sizes = 12, concluded = 2 + c.Get % 2;
        var shape = new SearchGeometry(Enumerable.Range(0, 6).Select(k => 1000 * Math.Pow(2, k)).ToSeq(), Enumerable.Range(0, sizes).Select(i => Math.Pow(ratio, i)).ToSeq());
        double Position(int k) => 1 + beta * k * Math.Log(2) / Math.Log(ratio);
        var done = Enumerable.Range(0, concluded).Select(k => new ShardResult(k, new Lab.Stages.Search.Config((int)Math.Round(Position(k)), 2),
            LanguageExt.Seq<double>.Empty, 0.01, LanguageExt.Seq<string>.Empty, LanguageExt.Seq<SearchTrial>.Empty)).ToList();
        var start = BestFitSearch.Start(done, concluded, shape, sizes);
        // the fit sees rounded positions: the prediction may be off by the rounding of its two or three points
        bool near = Math.Abs(start.Size - Position(concluded)) <= 1.0 && start.Size >= done[^1].Best.Size && start.Lr == 2;
        var floorBound = done.Select((d, k) => k == 0 ? d with { BoundBy = LanguageExt.Prelude.Seq1("size-floor") } : d).ToList();
        bool fallsBack = concluded > 2 || BestFitSearch.Start(floorBound, concluded, shape, sizes) == done[^1].Best;
        return (near && fallsBack).Label($"ratio {ratio} beta {beta}: positions {string.Join(",", done.Select(d => d.Best.Size))} → start {start.Size} (exact {Position(concluded):F2})");
    }

    [Property(MaxTest = 50)]
    public Property After_a_point_bound_at_the_size_floor_the_next_walk_starts_again_where_the_first_did(PositiveInt a, PositiveInt b)
    {
        // shard 0: the smallest size at the smallest rate is best (larger models and rates worse): bound at the floor.
        // Shard 1: around that corner nothing is better — one size up at the smallest rate is 2 % worse, the next rate
        // equal — while the optimum lies inside the ladders at a larger size and rate (as measured on a corpus no preset
        // was tuned for). Started from the corner (the previous best, as the unguided walk does) the walk stays there;
        // started again from the first shard's start, it finds and brackets the optimum.
        int sizes = 7, rates = 5, sOpt = 3 + a.Get % 3, lOpt = 2 + b.Get % 2;
        double F(SearchTrial t) => t.Shard == 0
            ? 1.2 * (1 + 0.05 * t.Size + 0.05 * t.Lr)
            : t.Lr <= 1 ? 1.0 + 0.02 * t.Size
            : 0.98 - 0.02 * Math.Min(t.Size, sOpt) + 0.02 * Math.Max(0, t.Size - sOpt) + 0.02 * Math.Abs(t.Lr - lOpt);
        var s = new SearchSettings(Seeds: 1, MaxTrialsPerShard: 100, StartSize: 2);
        var (fresh, _) = Run(2, sizes, rates, s, F);
        var (cornered, _) = Run(2, sizes, rates, s with { Guided = false }, F);
        bool floor = fresh.Done[0].Best == new Lab.Stages.Search.Config(0, 0) && fresh.Done[0].BoundBy.Contains("size-floor");
        bool found = fresh.Done[1].Best == new Lab.Stages.Search.Config(sOpt, lOpt) && fresh.Done[1].Bracketed;
        bool trapped = cornered.Done[1].Best == new Lab.Stages.Search.Config(0, 0);
        return (floor && found && trapped).Label($"opt ({sOpt},{lOpt}): {string.Join("; ", fresh.Done.Map(r => $"shard {r.Shard} best {r.Best} [{string.Join(',', r.BoundBy)}]"))}; from the corner {cornered.Done[1].Best}");
    }

    [Property(MaxTest = 100)]
    public Property A_first_shard_where_every_size_is_equal_is_the_small_data_region_and_one_where_larger_models_are_worse_is_floor_bound(PositiveInt a, PositiveInt b)
    {
        // shard 0: every size within 0.2 % (the data is too little for capacity to matter), or each size up 5 % worse
        // (larger models overfit); later shards: an optimum inside the ladder. The first is "small-data", the second
        // "size-floor"; neither is used by the guided start or counted as located
        int sizes = 6, rates = 3, shards = 4, opt = 2 + a.Get % 2;
        bool flat = b.Get % 2 == 0;
        double F(SearchTrial t) => t.Shard == 0
            ? (flat ? 1 + 0.002 * ((t.Size * 7 + t.Lr * 3) % 5) / 4 : Math.Pow(1.05, t.Size)) * (1 + 0.1 * Math.Abs(t.Lr - 1))
            : Objective(t.Shard, t.Size, t.Lr, opt, 1, 100, 0.001);
        var (state, _) = Run(shards, sizes, rates, new SearchSettings(MaxTrialsPerShard: 100, StartSize: 1), F);
        var first = state.Done[0];
        bool labelled = first.Best.Size == 0 && first.BoundBy.Contains(flat ? "small-data" : "size-floor") && first.SmallData == flat && !first.Located;
        bool rest = state.Done.Skip(1).ForAll(r => r.Bracketed && r.Located && r.Best.Size == opt);
        return (labelled && rest).Label($"flat {flat}: {string.Join("; ", state.Done.Map(r => $"shard {r.Shard} best {r.Best} [{string.Join(',', r.BoundBy)}]"))}");
    }

    [Property(MaxTest = 100)]
    public Property A_walk_that_binds_at_the_top_of_the_preset_s_ladder_grows_it_and_brackets_an_optimum_one_step_beyond(PositiveInt a, PositiveInt b, PositiveInt c)
    {
        // the preset's sizes are 0..n-1, the reserve n and n+1 (two steps); the optimum is at n on every shard. Grown, the
        // walk finds it bracketed (n+1 measured, no better); not allowed to grow, it stops at n-1, bound by the size cap;
        // every larger model 10 % better: it grows to n+1 and says "size-cap" there, never beyond
        int n = 3 + a.Get % 4, rates = 3 + b.Get % 3, shards = 1 + c.Get % 3, lOpt = 1 + (a.Get + b.Get) % (rates - 2);
        var core = new Ladders(0, n - 1, 0, rates - 1);
        double F(SearchTrial t) => Objective(t.Shard, t.Size, t.Lr, n, lOpt, 100, 0.001);
        var grows = new SearchSettings(MaxTrialsPerShard: 100, GrowAbove: 2, Diagonal: c.Get % 2 == 0);
        var (grown, _) = Run(shards, n + 2, rates, grows, F, core: core);
        var (fixedLadder, fixedRan) = Run(shards, n + 2, rates, grows with { GrowAbove = 0 }, F, core: core);
        var (beyond, beyondRan) = Run(shards, n + 2, rates, grows, t => Math.Pow(0.9, t.Size) * (1 + 0.1 * Math.Abs(t.Lr - lOpt)), core: core);
        bool found = grown.Done.ForAll(r => r.Best == new Lab.Stages.Search.Config(n, lOpt) && r.Bracketed && r.Span is { SizeHi: var hi } && hi == n + 1);
        bool stopped = fixedLadder.Done.ForAll(r => r.Best.Size == n - 1 && r.BoundBy.Contains("size-cap")) && fixedRan.All(t => t.Size < n);
        bool capped = beyond.Done.ForAll(r => r.Best.Size == n + 1 && r.BoundBy.Contains("size-cap")) && beyondRan.All(t => t.Size <= n + 1);
        return (found && stopped && capped).Label($"n {n}: grown {Show(grown)} | fixed {Show(fixedLadder)} | beyond {Show(beyond)}");
    }

    [Property(MaxTest = 100)]
    public Property Below_the_preset_s_smallest_size_one_smaller_size_is_tried_before_a_point_is_called_small_data(PositiveInt a, PositiveInt b)
    {
        // the preset's sizes are 1..5 with one reserve size (0) below. Shard 0's optimum is the preset's smallest size
        // (every larger one within the noise, a smaller one 20 % worse): the walk tries size 0 once and brackets the
        // point at 1 (a fixed ladder would call it small-data). Or every size is within the noise: size 0 is best-fit and
        // the point is small-data. Either way no size outside the ladders is trained and later shards are found.
        int rates = 3, shards = 3, opt = 2 + a.Get % 2;
        bool flat = b.Get % 2 == 0;
        double F(SearchTrial t) => t.Shard == 0
            ? (flat ? 1 + 0.002 * ((t.Size * 7 + t.Lr * 3) % 5) / 4 : Objective(0, t.Size, t.Lr, 1, 1, 100, 0.001))
              * (flat ? 1 + 0.1 * Math.Abs(t.Lr - 1) : 1)
            : Objective(t.Shard, t.Size, t.Lr, opt, 1, 100, 0.001);
        var core = new Ladders(1, 5, 0, rates - 1);
        var (state, ran) = Run(shards, 6, rates, new SearchSettings(MaxTrialsPerShard: 100, StartSize: 0, GrowBelow: 1), F, core: core);
        var (fixedLadder, _) = Run(shards, 6, rates, new SearchSettings(MaxTrialsPerShard: 100, StartSize: 0, GrowBelow: 0), F, core: core);
        var first = state.Done[0];
        bool tried = ran.Any(t => t.Shard == 0 && t.Size == 0);
        bool labelled = flat ? first.Best.Size == 0 && first.SmallData : first.Best.Size == 1 && first.Bracketed && first.Located;
        bool before = fixedLadder.Done[0].Best.Size == 1 && fixedLadder.Done[0].SmallData;
        bool rest = state.Done.Skip(1).ForAll(r => r.Bracketed && r.Best.Size == opt);
        return (tried && labelled && before && rest).Label($"flat {flat}: {Show(state)} | fixed ladder {Show(fixedLadder)}");
    }

    [Property(MaxTest = 100)]
    public Property A_learning_rate_optimum_past_an_end_of_the_preset_s_rate_ladder_is_reached_by_growing_it(PositiveInt a, PositiveInt b)
    {
        // the preset's rates are 2..r-3 with two reserve rates at each end; the best rate is the first reserve one (1 or
        // r-2), so the preset's end rate is measurably better than the next inward: the ladder grows and brackets it
        // (the second reserve rate measured, worse). A fixed ladder stops at its end, bound by "lr-edge".
        int rates = 7 + a.Get % 3, sizes = 6, opt = 2;
        int lOpt = b.Get % 2 == 0 ? 1 : rates - 2;
        var core = new Ladders(0, sizes - 1, 2, rates - 3);
        double F(SearchTrial t) => Objective(t.Shard, t.Size, t.Lr, opt, lOpt, 100, 0.001);
        var (state, ran) = Run(2, sizes, rates, new SearchSettings(MaxTrialsPerShard: 100, GrowRates: 2), F, core: core);
        var (fixedLadder, _) = Run(2, sizes, rates, new SearchSettings(MaxTrialsPerShard: 100, GrowRates: 0), F, core: core);
        bool found = state.Done.ForAll(r => r.Best == new Lab.Stages.Search.Config(opt, lOpt) && r.Bracketed) && ran.All(t => t.Lr >= 0 && t.Lr < rates);
        bool edge = fixedLadder.Done.ForAll(r => r.BoundBy.Contains("lr-edge") && r.Best.Lr == (lOpt == 1 ? 2 : rates - 3));
        return (found && edge).Label($"rates {rates} lOpt {lOpt}: {Show(state)} | fixed {Show(fixedLadder)}");
    }

    [Property(MaxTest = 100)]
    public Property An_optimum_inside_the_preset_s_ladders_never_touches_the_reserve(PositiveInt a, PositiveInt b, PositiveInt c)
    {
        // a reserve of one size and one rate around the preset's ladders: when the optimum is inside and away from the
        // ends, the walk asks for exactly the trials it asks without a reserve (shifted by the reserve's offset)
        int sizes = 7 + a.Get % 4, rates = 4 + b.Get % 3, shards = 1 + c.Get % 3;
        int sOpt = 2 + c.Get % (sizes - 3 - shards), lOpt = 2 + (a.Get + b.Get) % (rates - 3);
        var s = new SearchSettings(MaxTrialsPerShard: 100, StartSize: 1, Diagonal: a.Get % 2 == 0);
        double F(SearchTrial t) => Objective(t.Shard, t.Size, t.Lr, sOpt, lOpt, 1, 0.001);
        var (with, ranWith) = Run(shards, sizes + 2, rates + 2, s, t => F(t with { Size = t.Size - 1, Lr = t.Lr - 1 }), core: new Ladders(1, sizes, 1, rates));
        var (without, ranWithout) = Run(shards, sizes, rates, s, F);
        bool same = ranWith.Select(t => t with { Size = t.Size - 1, Lr = t.Lr - 1 }).SequenceEqual(ranWithout)
                    && with.Done.Zip(without.Done).All(p => p.Item1.BoundBy.SequenceEqual(p.Item2.BoundBy));
        return same.Label($"sizes {sizes} rates {rates} opt ({sOpt},{lOpt}): with a reserve {ranWith.Count} trials, without {ranWithout.Count}");
    }

    static string Show(SearchState state) => string.Join("; ", state.Done.Map(r => $"shard {r.Shard} best {r.Best} [{string.Join(',', r.BoundBy)}] span {r.Span}"));

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
        var s = new SearchSettings(Seeds: 3, MaxTrialsPerShard: 12, Diagonal: kill.Get % 2 == 0, GrowAbove: 1 + a.Get % 2);
        // half the cases with a reserve around the preset's ladders (one size below, one or two above, one rate each end),
        // so the replay also has to grow the same ladders
        Ladders? core = b.Get % 2 == 0 ? null : new Ladders(1, sizes - 1 - s.GrowAbove, 1, rates - 2 + 1);
        double F(SearchTrial t) => Objective(t.Shard, t.Size, t.Lr, 1 + a.Get % 3, 1, 2, 0.003) * (1 + 0.004 * Normal(HashCode.Combine(b.Get, t.Shard, t.Size, t.Lr, t.Replicate)));
        var (full, ran) = Run(shards, sizes, rates + 1, s, F, core: core);
        var (again, ranAgain) = Run(shards, sizes, rates + 1, s, F, core: core);
        // killed after k trials: the results on disk are the first k trials run; resume from them
        int k = kill.Get % (ran.Count + 1);
        var disk = ran.Take(k).ToDictionary(t => t with { Round = 0 }, F);
        var (resumed, ranAfter) = Run(shards, sizes, rates + 1, s, F, disk, core: core);
        bool same = full.Visited.SequenceEqual(again.Visited) && ran.SequenceEqual(ranAgain)
                    && resumed.Visited.SequenceEqual(full.Visited) && ran.Skip(k).SequenceEqual(ranAfter);
        return same.Label($"killed after {k} of {ran.Count}: resumed ran {ranAfter.Count}");
    }
}
