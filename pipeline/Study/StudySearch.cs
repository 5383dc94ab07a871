namespace Lab.Pipeline.Study;

/// <summary>
/// The study's side of the best-fit search: the search space (space.parquet: every shard × family size × learning rate
/// a domain offers, first seed) indexed into ladders, the search replayed per family over the finished trials, its
/// next trials as plan rows, and the learning-curve points it concluded. Pure: the files are read and written by
/// <see cref="StudyRunner"/>.
/// </summary>
public static class StudySearch
{
    /// <summary>Numbers each family's sizes (ascending parameters, then name) and the learning rates (ascending) of a
    /// domain's grid: the ladders the search walks.</summary>
    public static List<PlanRow> Index(IReadOnlyList<PlanRow> grid)
    {
        var rates = grid.Select(r => r.LearningRate).Distinct().Order().ToList();
        var sizes = grid.GroupBy(r => r.Family).ToDictionary(g => g.Key,
            g => g.GroupBy(r => r.Model).Select(m => (Model: m.Key, Params: m.Max(r => r.Parameters)))
                  .OrderBy(m => m.Params).ThenBy(m => m.Model, StringComparer.Ordinal).Select(m => m.Model).ToList());
        return grid.Select(r => r with { SizeIndex = sizes[r.Family].IndexOf(r.Model), LrIndex = rates.IndexOf(r.LearningRate) }).ToList();
    }

    /// <summary>The search of each family (in name order) over the finished trials.</summary>
    /// <param name="space">The indexed search space.</param>
    /// <param name="finished">A trial's result row by id, when it has one.</param>
    /// <param name="metric">The validation metric the search minimises (the domain's primary curve).</param>
    public static List<FamilySearch> Replay(IReadOnlyList<PlanRow> space, SearchSettings settings, Func<string, TrialRow?> finished, string metric)
    {
        var result = new List<FamilySearch>();
        foreach (var family in space.Select(r => r.Family).Distinct().Order(StringComparer.Ordinal))
        {
            var rows = space.Where(r => r.Family == family).ToList();
            var cell = rows.ToDictionary(r => (r.ShardIndex, r.SizeIndex, r.LrIndex));
            int shards = rows.Max(r => r.ShardIndex) + 1, sizes = rows.Max(r => r.SizeIndex) + 1, rates = space.Max(r => r.LrIndex) + 1;
            PlanRow? Row(SearchTrial t) => cell.TryGetValue((t.Shard, t.Size, t.Lr), out var r) ? WithSeed(r, t.Replicate, t.Round) : null;
            double? Measured(SearchTrial t)
            {
                var plan = Row(t);
                if (plan is null) return double.PositiveInfinity; // not offered by the domain (a hole in its grid): never best
                var row = finished(plan.TrialId);
                if (row is null) return null;
                double v = row.Outcome == TrialStatus.Ok ? row.Metric(metric) : double.PositiveInfinity;
                return double.IsFinite(v) ? v : double.PositiveInfinity;
            }
            var geometry = new SearchGeometry(
                Enumerable.Range(0, shards).Select(k => rows.Where(r => r.ShardIndex == k).Select(r => (double)r.ShardSize).DefaultIfEmpty(Math.Pow(2, k)).Max()).ToSeq(),
                Enumerable.Range(0, sizes).Select(i => rows.Where(r => r.SizeIndex == i).Select(r => (double)r.Parameters).DefaultIfEmpty(Math.Pow(2, i)).Max()).ToSeq());
            var core = Core(space, rows);
            var state = BestFitSearch.Replay(shards, sizes, rates, settings, Measured, geometry, core);
            result.Add(new FamilySearch(family, state, state.Next.Select(Row).OfType<PlanRow>().ToList(),
                state.Visited.Select(Row).OfType<PlanRow>().ToList(), t => Row(t)) { Core = core });
        }
        return result;
    }

    /// <summary>How far the family's ladders had grown beyond the preset's when the shard concluded, e.g. "sizes up to
    /// lstm-e1024-h1024-l1-d0.1 (1 above the preset's); learning rates up to 0.032 (1 above)"; empty when not at all.</summary>
    static string Grown(FamilySearch fam, ShardResult res)
    {
        if (fam.Core is not { } core || res.Span is not { } span) return "";
        var (above, below, ratesAbove, ratesBelow) = span.Beyond(core);
        string Model(int size) => fam.Row(new SearchTrial(res.Shard, size, res.Best.Lr, 0, 0))?.Model ?? $"size {size}";
        string Rate(int lr) => fam.Row(new SearchTrial(res.Shard, res.Best.Size, lr, 0, 0))?.LearningRate.ToString("G3", CultureInfo.InvariantCulture) ?? $"rate {lr}";
        var parts = new List<string>();
        if (above > 0) parts.Add($"sizes up to {Model(span.SizeHi)} ({above} above the preset's)");
        if (below > 0) parts.Add($"sizes down to {Model(span.SizeLo)} ({below} below the preset's)");
        if (ratesAbove > 0) parts.Add($"learning rates up to {Rate(span.LrHi)} ({ratesAbove} above)");
        if (ratesBelow > 0) parts.Add($"learning rates down to {Rate(span.LrLo)} ({ratesBelow} below)");
        return string.Join("; ", parts);
    }

    /// <summary>The preset's own ladders of a family (its rows not in the reserve), inside the space's indices; null when
    /// the family has no rows. A size is the preset's when any of its rows is (a preset model at a reserve rate is a
    /// reserve row); a rate likewise.</summary>
    static Ladders? Core(IReadOnlyList<PlanRow> space, IReadOnlyList<PlanRow> family)
    {
        var coreSizes = family.GroupBy(r => r.SizeIndex).Where(g => g.Any(r => !r.Reserve)).Select(g => g.Key).ToList();
        var coreRates = space.GroupBy(r => r.LrIndex).Where(g => g.Any(r => !r.Reserve)).Select(g => g.Key).ToList();
        if (coreSizes.Count == 0 || coreRates.Count == 0) return null;
        return new Ladders(coreSizes.Min(), coreSizes.Max(), coreRates.Min(), coreRates.Max());
    }

    /// <summary>The plan row of a further seed: the study seed for replicate 0, then seed + 7919·r; the trial id is
    /// recomputed (it hashes the seed), so replicate 0 keeps the id of the grid's row.</summary>
    public static PlanRow WithSeed(PlanRow r, int replicate, int round)
    {
        long trainSeed = replicate == 0 ? r.Seed : r.Seed + 7919L * replicate;
        var spec = new TrialSpec(r.Domain, r.DataFingerprint, r.ShardIndex, r.ShardExamples, r.ShardSize, r.Model, r.LearningRate, r.Hyper, trainSeed);
        return r with { Replicate = replicate, TrainSeed = trainSeed, Round = round, TrialId = spec.Id };
    }

    /// <summary>
    /// Arms the pruning of a trial asked for in a later round of its shard: it is stopped as hopeless when, after as many
    /// epochs as the best trial of the earlier rounds needed, its best validation loss is still above that trial's by
    /// more than the settings' fraction. First rounds and further seeds are never pruned.
    /// </summary>
    public static PlanRow WithPruning(PlanRow next, IEnumerable<(PlanRow Plan, TrialRow Result)> earlier, SearchSettings s, string metric)
    {
        if (s.PruneRelative <= 0 || next.Round == 0 || next.Replicate > 0) return next;
        var incumbent = earlier.Where(e => e.Plan.Family == next.Family && e.Plan.ShardIndex == next.ShardIndex && e.Plan.Replicate == 0
                                          && e.Plan.Round < next.Round && e.Result.Outcome == TrialStatus.Ok && double.IsFinite(e.Result.Metric(metric))
                                          && double.IsFinite(e.Result.ValCrossEntropyTorch))
            .OrderBy(e => e.Result.Metric(metric)).ThenBy(e => e.Plan.TrialId, StringComparer.Ordinal).FirstOrDefault();
        if (incumbent.Result is null) return next;
        return next with { PruneAbove = incumbent.Result.ValCrossEntropyTorch * (1 + s.PruneRelative), PruneAfterEpoch = Math.Max(1, incumbent.Result.BestEpoch) };
    }

    /// <summary>
    /// The learning-curve points of one curve: per shard the concluded best-fit configuration of its family (or, for
    /// a curve over every family, of the family whose best-fit has the lowest mean primary error), with the curve's
    /// metric averaged over that configuration's seeds. Each point as curve.parquet's row and as the fitter's input (the
    /// seeds' errors as numbers, not the row's text).
    /// </summary>
    public static List<(CurveRow Row, Lab.Fit.CurvePoint Point)> Points(IReadOnlyList<FamilySearch> searches, CurveSpec spec, Func<string, TrialRow?> finished)
    {
        var families = searches.Where(f => spec.Architecture is null || f.Family == spec.Architecture).ToList();
        var shards = families.SelectMany(f => f.State.Done.Select(d => d.Shard)).Distinct().Order();
        var points = new List<(CurveRow, Lab.Fit.CurvePoint)>();
        foreach (var k in shards)
        {
            var candidates = families.SelectMany(f => f.State.Done.Where(d => d.Shard == k).Select(d => (f, d))).ToList();
            // a combined curve takes a shard only when every family has concluded it
            if (candidates.Count < families.Count) continue;
            var (fam, res) = candidates.OrderBy(c => c.d.Mean).ThenBy(c => c.f.Family, StringComparer.Ordinal).First();
            var seeds = Enumerable.Range(0, res.Errors.Count).Select(r => fam.Row(new SearchTrial(k, res.Best.Size, res.Best.Lr, r, 0))!)
                .Select(p => finished(p.TrialId)!).Where(t => t is not null).ToList();
            if (seeds.Count == 0) continue;
            var vals = seeds.Select(t => t.Metric(spec.ValMetric)).ToList();
            var tests = seeds.Select(t => t.Metric(spec.TestMetric)).ToList();
            double mean = vals.Average(), std = Statistics.SampleStd(vals);
            var first = seeds[0];
            var below = res.Best.Size > 0 ? fam.Row(new SearchTrial(k, res.Best.Size - 1, res.Best.Lr, 0, 0)) : null;
            var row = new CurveRow
            {
                Curve = spec.Name, M = first.ShardSize, Error = mean, ErrorStd = std, Seeds = vals.Count,
                Errors = string.Join(';', vals.Select(v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture))),
                Params = first.Parameters, ParamsBelow = below?.Parameters ?? double.NaN, Bracketed = res.Bracketed, BoundBy = string.Join(',', res.BoundBy), Margin = res.Margin,
                Family = fam.Family, Domain = first.Domain, ShardIndex = k, ShardExamples = first.ShardExamples, BestTrialId = first.TrialId,
                Model = first.Model, LearningRate = first.LearningRate, TestError = tests.Average(),
                TrialsInShard = candidates.Sum(c => c.d.Trials.Count),
                TrainFlops = seeds.Average(t => t.TrainFlops), TrainSeconds = seeds.Average(t => t.TrainSeconds),
                BudgetStops = seeds.Count(t => t.StoppedBy == Lab.Stages.Train.StopReasons.Budget),
                Grown = Grown(fam, res)
            };
            var point = new Lab.Fit.CurvePoint(row.M, row.Error, "fit", row.Params, vals.ToSeq(), row.TrainFlops, row.TrainSeconds,
                double.IsFinite(row.ParamsBelow) ? row.ParamsBelow : null, Lab.Fit.CurvePoint.SizeBoundOf(row.BoundBy));
            points.Add((row, point));
        }
        return points;
    }
}

/// <summary>One family's search as replayed: its state, its next trials and every trial asked for so far as plan rows,
/// and the plan row of any trial.</summary>
public sealed record FamilySearch(string Family, SearchState State, IReadOnlyList<PlanRow> Next, IReadOnlyList<PlanRow> Visited, Func<SearchTrial, PlanRow?> Row)
{
    /// <summary>The preset's own ladders (the rest of the space is reserve); null when not known.</summary>
    public Ladders? Core { get; init; }
}
