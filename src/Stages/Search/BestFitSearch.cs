using LanguageExt;
using static LanguageExt.Prelude;

namespace Lab.Stages.Search;

/// <summary>
/// The per-shard search for the best-fit model of one family (Hestness et al. 2017, §3): pure and replayable.
/// <para>On each shard, starting from where the points concluded so far put the best-fit size (see <see cref="Start"/>;
/// the first shards: the previous shard's best-fit configuration — after a point bound at the size floor the first start
/// again —, the first of all a small size at the middle learning
/// rate), the first round measures the start and its four neighbours (one size down and up, half and
/// twice the learning rate; with <see cref="SearchSettings.Diagonal"/> also one size up at half the rate and one down
/// at twice it). Then, round by round: the best-fit size is the smallest whose error (at its best learning
/// rate) is within the noise margin of the best error found; every unmeasured neighbour of the best-fit configuration
/// is measured next. So the walk goes up while a larger size beats the incumbent by more than the margin, down while a
/// smaller one is within it, and the learning rate moves the same way. It stops when every neighbour is measured — the
/// point is bracketed: a smaller size is measurably worse and a larger one measurably no better — or at a ladder's end or
/// the trial cap (counted beyond the trials the walk's travel needs: <see cref="Allowance"/>), which the result names. The best-fit configuration is then trained with further seeds; their spread is
/// the point's noise, and the median of the points' noise (each without a seed that failed to train) sets the next shards' margin.</para>
/// <para>Each decision depends only on the errors of complete earlier rounds, so replaying with the results on disk
/// gives the same trials in the same order however often a run was killed; <see cref="Replay"/> returns the trials
/// of the first round that is not complete.</para>
/// </summary>
public static class BestFitSearch
{
    /// <summary>The prior on beta_p of the guided start (<see cref="Start"/>).</summary>
    public static readonly (double Mean, double Sd) PriorBetaP = (0.7, 0.2);

    /// <summary>Replays one family's search over <paramref name="shards"/> shards with ladders of
    /// <paramref name="sizes"/> sizes and <paramref name="rates"/> learning rates.</summary>
    /// <param name="measured">The error of a trial when it has finished (+∞ for a failed or diverged run), else null.</param>
    /// <param name="geometry">The shards' sizes and the size ladder's parameter counts (default: shards doubling, each
    /// size twice the one below), for the walk's guided start.</param>
    /// <param name="core">The preset's own ladders inside [0, sizes) × [0, rates); the positions outside them are the
    /// reserve a walk grows into when it binds (<see cref="Grow"/>). Default: all of it (nothing to grow into).</param>
    public static SearchState Replay(int shards, int sizes, int rates, SearchSettings s, Func<SearchTrial, double?> measured,
        SearchGeometry? geometry = null, Ladders? core = null)
    {
        var shape = geometry ?? SearchGeometry.Doubling(shards, sizes);
        if (shards <= 0 || sizes <= 0 || rates <= 0) return new SearchState(Seq<ShardResult>(), Seq<SearchTrial>(), Seq<SearchTrial>());
        var preset = core is { } c0 && c0.Within(sizes, rates) ? c0 : Ladders.All(sizes, rates);
        var span = preset;
        var done = new List<ShardResult>();
        var visited = new List<SearchTrial>();
        var first = new Config(Math.Clamp(preset.SizeLo + s.StartSize, preset.SizeLo, preset.SizeHi), (preset.LrLo + preset.LrHi) / 2);
        var start = first;
        for (int k = 0; k < shards; k++)
        {
            if (k > 0 && s.Guided) start = Start(done, k, shape, sizes, first);
            start = new Config(Math.Clamp(start.Size, span.SizeLo, span.SizeHi), Math.Clamp(start.Lr, span.LrLo, span.LrHi));
            double margin = s.Margin(done.Select(d => d.RelativeNoise).ToList());
            if (s.Grid)
            {
                // the naive protocol: every configuration of the preset's ladders with every seed, one round, then the best-fit choice
                var grid = (from size in Enumerable.Range(preset.SizeLo, preset.SizeHi - preset.SizeLo + 1)
                            from lr in Enumerable.Range(preset.LrLo, preset.LrHi - preset.LrLo + 1) from r in Enumerable.Range(0, Math.Max(1, s.Seeds))
                            select new SearchTrial(k, size, lr, r, 0)).ToList();
                visited.AddRange(grid);
                var absent = grid.Where(t => measured(t) is null).ToSeq();
                if (!absent.IsEmpty) return new SearchState(done.ToSeq(), absent, visited.ToSeq());
                var means = grid.GroupBy(t => t.Config).ToDictionary(g => g.Key, g => g.Average(t => measured(t)!.Value));
                var chosen = BestFit(means, margin);
                var errs = grid.Where(t => t.Config == chosen).OrderBy(t => t.Replicate).Select(t => measured(t)!.Value).ToSeq();
                done.Add(new ShardResult(k, chosen, errs, margin, Bounds(chosen, means, margin, preset, false), grid.ToSeq()) { Span = preset });
                continue;
            }
            var known = new Dictionary<Config, double>();
            var trials = new List<SearchTrial>();
            bool capped = false; int round = 0;
            while (true)
            {
                // the incumbent of the rounds so far (none before the first)
                var incumbent = known.Count > 0 ? BestFit(known, margin) : null;
                if (incumbent is not null) span = Grow(span, incumbent, known, margin, sizes, rates, preset, s);
                var ask = incumbent is null ? Cross(start, span, s.Diagonal) : Neighbours(incumbent, span, s.Diagonal).Where(c => !known.ContainsKey(c)).ToList();
                if (ask.Count == 0) break;
                if (incumbent is not null && trials.Count + ask.Count > Allowance(s, start, incumbent)) { capped = true; break; }
                var batch = ask.Select(c => new SearchTrial(k, c.Size, c.Lr, 0, round)).ToList();
                visited.AddRange(batch);
                var missing = batch.Where(t => measured(t) is null).ToSeq();
                if (!missing.IsEmpty) return new SearchState(done.ToSeq(), missing, visited.ToSeq());
                foreach (var t in batch) known[t.Config] = measured(t)!.Value;
                trials.AddRange(batch);
                round++;
            }
            var best = BestFit(known, margin);
            var seeds = Enumerable.Range(1, Math.Max(0, s.Seeds - 1)).Select(r => new SearchTrial(k, best.Size, best.Lr, r, round)).ToList();
            visited.AddRange(seeds);
            var missingSeeds = seeds.Where(t => measured(t) is null).ToSeq();
            if (!missingSeeds.IsEmpty) return new SearchState(done.ToSeq(), missingSeeds, visited.ToSeq());
            trials.AddRange(seeds);
            var errors = Seq1(known[best]) + seeds.Select(t => measured(t)!.Value).ToSeq();
            done.Add(new ShardResult(k, best, errors, margin, Bounds(best, known, margin, span, capped), trials.ToSeq()) { Span = span });
            start = best;
        }
        return new SearchState(done.ToSeq(), Seq<SearchTrial>(), visited.ToSeq());
    }

    /// <summary>
    /// Where shard <paramref name="k"/>'s walk starts: at the size that s(m) = alpha·m^beta_p, fitted in log–log to the
    /// best-fit sizes of the concluded shards that no end of the size ladder bound, predicts for the shard's m — the ladder
    /// position nearest in log parameters — at the previous shard's best learning rate. The walk still measures the
    /// start's neighbours and moves on from there, so the prediction only saves the rounds of a climb.
    /// <para>A best-fit size is known only to a ladder step (the true one lies between the size below and it), so two or
    /// three points alone give a slope that is off by about a step per doubling. The slope is therefore estimated with the
    /// paper's finding as a prior (0.7, sd 0.2: it covers the 0.69–0.92 Hestness et al. 2017 report and the 0.73 measured
    /// on the shipped lm corpus) and
    /// each point's log size uncertain by a step's rounding (sd ln(step)/√12), i.e. the posterior mean of a Bayesian
    /// linear regression; it moves to the data's slope as points accumulate. With fewer than two such points the previous
    /// shard's best-fit configuration; never below it (s(m) does not fall).</para>
    /// <para>A previous point bound at the bottom of the size ladder (size-floor, small-data) says where the optimum was not
    /// — below every size tried, at the rate the walk ended on — not where it lies with more data: measured on a corpus no
    /// preset was tuned for, a walk that started the next shard there (the smallest width at the smallest rate) found a
    /// larger width at that rate worse and stopped, while one more shard up, reached through larger rates, a model 32 times
    /// wider was 5 % better. Such a point's successor starts again at <paramref name="first"/> (the preset's start, or the previous
    /// best-fit size where that is larger), and the walk goes down from there if it must.</para>
    /// </summary>
    public static Config Start(IReadOnlyList<ShardResult> done, int k, SearchGeometry shape, int sizes, Config? first = null)
    {
        var previous = done[^1].Best;
        if (first is { } f && done[^1].FloorBound)
            previous = new Config(Math.Max(previous.Size, f.Size), f.Lr);
        var located = done.Where(d => d.Located).ToList();
        if (located.Count < 2 || sizes < 2) return previous;
        var x = located.Select(d => Math.Log(shape.ShardSizes[d.Shard])).ToList();
        var y = located.Select(d => Math.Log(shape.SizeParams[d.Best.Size])).ToList();
        double mx = x.Average(), my = y.Average(), sxx = x.Sum(v => (v - mx) * (v - mx));
        if (!(sxx > 0)) return previous;
        double sxy = x.Zip(y).Sum(p => (p.Item1 - mx) * (p.Item2 - my));
        double step = Math.Log(shape.SizeParams[^1] / shape.SizeParams[0]) / (sizes - 1);
        double rounding = step * step / 12, prior = PriorBetaP.Sd * PriorBetaP.Sd;
        double slope = (sxy / rounding + PriorBetaP.Mean / prior) / (sxx / rounding + 1 / prior);
        if (!double.IsFinite(slope) || slope <= 0) return previous;
        double predicted = my + slope * (Math.Log(shape.ShardSizes[k]) - mx);
        int nearest = Enumerable.Range(0, sizes).OrderBy(i => Math.Abs(Math.Log(shape.SizeParams[i]) - predicted)).ThenBy(i => i).First();
        return previous with { Size = Math.Max(previous.Size, nearest) };
    }

    /// <summary>New neighbours a walk measures for each ladder step it moves (size or learning rate, with or without the
    /// diagonal: of the new incumbent's neighbours all but three were neighbours of the one it left).</summary>
    public const int TrialsPerStep = 3;

    /// <summary>
    /// The trial cap of a shard's walk as it stands: <see cref="SearchSettings.MaxTrialsPerShard"/> plus
    /// <see cref="TrialsPerStep"/> for each ladder step between the walk's start and its best-fit configuration now. The
    /// cap counts the trials a walk spends beyond those its travel needs, so a walk that must climb far (a start the data
    /// did not predict, a corpus no preset was tuned for) reaches its optimum instead of stopping on the way; a walk that
    /// wanders without getting anywhere still stops. Never below the preset's cap, so a walk the plain cap did not stop
    /// asks exactly the trials it asked before; bounded by the ladders' length.
    /// </summary>
    public static int Allowance(SearchSettings s, Config start, Config best)
        => s.MaxTrialsPerShard + TrialsPerStep * (Math.Abs(best.Size - start.Size) + Math.Abs(best.Lr - start.Lr));

    /// <summary>The start and its neighbours inside the ladders.</summary>
    static List<Config> Cross(Config c, Ladders span, bool diagonal) => [c, .. Neighbours(c, span, diagonal)];

    /// <summary>One size down and up at the same learning rate, half and twice the learning rate at the same size; with
    /// <paramref name="diagonal"/> then one size up at half the rate and one size down at twice it; all inside the
    /// ladders as they stand.</summary>
    static IEnumerable<Config> Neighbours(Config c, Ladders span, bool diagonal)
    {
        if (c.Size > span.SizeLo) yield return c with { Size = c.Size - 1 };
        if (c.Size < span.SizeHi) yield return c with { Size = c.Size + 1 };
        if (c.Lr > span.LrLo) yield return c with { Lr = c.Lr - 1 };
        if (c.Lr < span.LrHi) yield return c with { Lr = c.Lr + 1 };
        if (!diagonal) yield break;
        if (c.Size < span.SizeHi && c.Lr > span.LrLo) yield return new Config(c.Size + 1, c.Lr - 1);
        if (c.Size > span.SizeLo && c.Lr < span.LrHi) yield return new Config(c.Size - 1, c.Lr + 1);
    }

    /// <summary>
    /// Ladders that grow when they bind: after each complete round, when the best-fit configuration stands at an end of
    /// the ladders as they stand and the reserve holds a further step there, the ladder takes that step (the walk then
    /// measures it as a neighbour): one size up when the best-fit size is the largest (the optimum may lie above); one
    /// size down when it is the smallest — tried once below the preset's smallest size (<see cref="SearchSettings.GrowBelow"/>)
    /// before the point is called small-data or floor-bound; one learning rate further when an end rate is measurably
    /// better than the next inward (the same test as "lr-edge"). How far each may go is the preset's
    /// (<see cref="SearchSettings.GrowAbove"/>, <see cref="SearchSettings.GrowBelow"/>, <see cref="SearchSettings.GrowRates"/>)
    /// and the reserve the space holds. Once grown, a ladder stays grown for the later shards (their best-fit sizes do
    /// not fall). Depends only on complete rounds, so a replay grows the same ladders.
    /// </summary>
    public static Ladders Grow(Ladders span, Config best, IReadOnlyDictionary<Config, double> known, double margin, int sizes, int rates, Ladders preset, SearchSettings s)
    {
        int top = Math.Min(sizes - 1, preset.SizeHi + Math.Max(0, s.GrowAbove)), bottom = Math.Max(0, preset.SizeLo - Math.Max(0, s.GrowBelow));
        int lrTop = Math.Min(rates - 1, preset.LrHi + Math.Max(0, s.GrowRates)), lrBottom = Math.Max(0, preset.LrLo - Math.Max(0, s.GrowRates));
        var grown = span;
        if (best.Size == span.SizeHi && span.SizeHi < top) grown = grown with { SizeHi = span.SizeHi + 1 };
        if (best.Size == span.SizeLo && span.SizeLo > bottom) grown = grown with { SizeLo = span.SizeLo - 1 };
        bool Better(Config inner) => known.TryGetValue(inner, out var e) && known[best] * (1 + margin) < e;
        if (best.Lr == span.LrLo && span.LrLo > lrBottom && Better(best with { Lr = best.Lr + 1 })) grown = grown with { LrLo = span.LrLo - 1 };
        if (best.Lr == span.LrHi && span.LrHi < lrTop && Better(best with { Lr = best.Lr - 1 })) grown = grown with { LrHi = span.LrHi + 1 };
        return grown;
    }

    /// <summary>
    /// The best-fit configuration of the measured ones: the smallest size whose best error (over learning rates) is within
    /// <paramref name="margin"/> (relative) of the best error, at the learning rate that gave that error. Ties go to the
    /// lower learning rate.
    /// </summary>
    public static Config BestFit(IReadOnlyDictionary<Config, double> known, double margin)
    {
        double best = known.Values.Min();
        double limit = double.IsFinite(best) ? best * (1 + margin) : double.PositiveInfinity;
        return known.GroupBy(kv => kv.Key.Size).OrderBy(g => g.Key)
            .Select(g => g.OrderBy(kv => kv.Value).ThenBy(kv => kv.Key.Lr).First())
            .First(kv => kv.Value <= limit || !double.IsFinite(best)).Key;
    }

    /// <summary>
    /// What keeps the point from being bracketed: the best-fit size at an end of the size ladder; the best learning rate
    /// at an end of its ladder and measurably better (by more than the margin) than the next rate inward, so the optimum
    /// may lie beyond it (an edge rate within the noise of its neighbour says nothing of the kind); the trial cap.
    /// At the ladder's smallest size, "small-data" when the next size up (at its best rate) is within the margin: the
    /// sizes are indistinguishable, the paper's small-data region, where the data is too little for capacity to matter;
    /// "size-floor" when it is measurably worse (or unmeasured), so that a still smaller model might be better.
    /// </summary>
    static Seq<string> Bounds(Config best, IReadOnlyDictionary<Config, double> known, double margin, Ladders span, bool capped)
    {
        var b = new List<string>();
        if (best.Size == span.SizeHi) b.Add("size-cap");
        if (span.SizeHi > span.SizeLo && best.Size == span.SizeLo)
        {
            var up = known.Where(kv => kv.Key.Size == span.SizeLo + 1).Select(kv => kv.Value).DefaultIfEmpty(double.PositiveInfinity).Min();
            b.Add(double.IsFinite(known[best]) && up <= known[best] * (1 + margin) ? "small-data" : "size-floor");
        }
        bool edge = span.LrHi > span.LrLo && (best.Lr == span.LrLo || best.Lr == span.LrHi);
        var inner = best with { Lr = best.Lr == span.LrLo ? span.LrLo + 1 : span.LrHi - 1 };
        if (edge && (!known.TryGetValue(inner, out var e) || known[best] * (1 + margin) < e)) b.Add("lr-edge");
        if (capped) b.Add("trial-cap");
        return b.ToSeq();
    }
}
