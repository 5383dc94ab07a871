using LanguageExt;
using static LanguageExt.Prelude;

namespace Lab.Fit;

/// <summary>One extrapolation a backtest made: fitted on the points up to <paramref name="Cut"/>, the family predicted
/// the point at <paramref name="M"/>; <paramref name="LogError"/> is ln(predicted / observed).</summary>
public sealed record Backtest(double Cut, double M, double LogError)
{
    /// <summary>How far beyond the fitted points the prediction reached, in doublings of m.</summary>
    public double Doublings => Math.Log2(M / Cut);
}

/// <summary>How well a family extrapolated in model selection (rolling-origin backtests).</summary>
/// <param name="Family">Family name.</param>
/// <param name="Score">Mean over its backtest cuts of the mean |ln(predicted / observed)| of the points each cut
/// predicted (lower is better); NaN if not eligible at any cut.</param>
/// <param name="FitPoints">Points the largest cut fitted.</param>
/// <param name="HeldBack">Predictions scored, over all cuts.</param>
/// <param name="Eligible">Whether it could take part at some cut (at least parameters + 1 points to fit).</param>
/// <param name="Backtests">Every prediction it made, by cut.</param>
public sealed record FamilyScore(string Family, double Score, int FitPoints, int HeldBack, bool Eligible, Seq<Backtest> Backtests = default);

/// <summary>The family chosen for a curve, every family's score, the horizon the backtests predicted over, the
/// families the backtests could not tell from the chosen one (their fits widen its bands and share its prediction), and
/// the families they ranked below it but not decisively (<see cref="FamilySelection.PlausibleFactor"/>: the band holds
/// their predictions; model-selection uncertainty).</summary>
public sealed record Selection(ICurveFamily Chosen, Seq<FamilyScore> Scores, double Horizon = FamilySelection.DefaultHorizon, Seq<string> Tied = default,
    Seq<string> Plausible = default);

/// <summary>
/// Chooses the family that extrapolates best over the distance the user asks about, by rolling-origin backtests: the
/// curve is cut at up to <see cref="MaxCuts"/> points, each family is fitted on the points up to a cut and scored
/// (mean |ln(predicted / observed)|) on the points beyond it up to <c>horizon</c> × the cut's largest size. The cut ends
/// sit at m_max / horizon and then half a doubling apart below it, so every backtest predicts a full horizon; a curve
/// too short for that is cut nearer its end (the windows are then shorter). The horizon is the next doubling by default,
/// or the reach of the held-out points when a split gives them.
/// <para>Complexity guard: a family takes part at a cut with at least parameters + 1 points there; the families are
/// compared in order of parameter count, on the cuts both took part in, and a more complex family replaces the
/// simpler one only if it wins on at least two cuts' worth of backtests (two cuts, or one curve-end cut whose
/// window holds two points or more), scores at least 10 % lower, and lower by more than the points' noise can explain
/// (the noise sd over √predictions). Families whose score is within that margin of the chosen one's are <c>Tied</c>;
/// the others whose score is at most <see cref="PlausibleFactor"/> times the chosen one's are <c>Plausible</c>.</para>
/// <para>With too few points for any backtest the power law + irreducible error is used when it has a point to spare
/// (4 or more), else the pure power law.</para>
/// </summary>
public static class FamilySelection
{
    /// <summary>The default horizon: the next doubling of the data.</summary>
    public const double DefaultHorizon = 2;
    /// <summary>Most backtest cuts per curve.</summary>
    public const int MaxCuts = 5;
    /// <summary>A family whose backtest score is at most this many times the chosen one's (on the cuts both took part
    /// in) is ranked below it but not decisively: a score is a mean over 2–5 cuts, and of two families whose misses
    /// are equally large (independent, normal), one scores at least twice the other in 9–20 % of curves (5 down to 2
    /// cuts, one miss a cut; simulated), so the band should not rule the other family out. Its prediction lies inside
    /// the band; the reported prediction does not change.</summary>
    public const double PlausibleFactor = 2;

    /// <summary>Chooses among the candidates for the (validated, sorted, distinct-size) points.</summary>
    public static Selection Choose(Seq<Observation> pts, Seq<ICurveFamily> candidates, double horizon = DefaultHorizon)
    {
        var p = pts.ToArray();
        int n = p.Length;
        horizon = double.IsFinite(horizon) && horizon > 1 ? horizon : DefaultHorizon;
        var cuts = Cuts(p, horizon);
        double noise = RobustLoss.Noise(p);

        // per family: the backtests of every cut it takes part in
        var results = candidates.Map(f =>
        {
            int k = f.ParameterNames.Count;
            var byCut = new Dictionary<int, Backtest[]>();
            foreach (var c in cuts)
            {
                var fitPart = p.Take(c).ToArray();
                if (fitPart.Length < k + 1 || fitPart.Select(o => o.Error).Distinct().Count() < 2) continue;
                var theta = f.Fit(fitPart, null);
                var targets = Targets(p, c, horizon);
                byCut[c] = targets.Select(t => new Backtest(p[c - 1].M, t.M,
                    theta is null ? double.PositiveInfinity : Math.Log(Math.Max(f.Predict(theta, t.M), 1e-300) / t.Error))).ToArray();
            }
            return (Family: f, ByCut: byCut);
        }).Strict();

        FamilyScore Score((ICurveFamily Family, Dictionary<int, Backtest[]> ByCut) r)
        {
            if (r.ByCut.Count == 0) return new FamilyScore(r.Family.Name, double.NaN, 0, 0, false);
            double s = Mean(r.ByCut.Values);
            return new FamilyScore(r.Family.Name, double.IsFinite(s) ? s : double.PositiveInfinity, r.ByCut.Keys.Max(),
                r.ByCut.Values.Sum(b => b.Length), true, r.ByCut.OrderBy(kv => kv.Key).SelectMany(kv => kv.Value).ToSeq());
        }
        var scores = results.Map(Score).Strict();

        var ranked = results.Where(r => r.ByCut.Count > 0 && double.IsFinite(Mean(r.ByCut.Values)))
            .OrderBy(r => r.Family.ParameterNames.Count).ToList();
        if (ranked.Count == 0)
        {
            var fallback = candidates.Find(f => f.Name == "power-irreducible" && n >= f.ParameterNames.Count + 1)
                .IfNone(() => candidates.Find(f => f.Name == "power").IfNone(candidates.Head));
            return new Selection(fallback, scores, horizon);
        }

        // (score of a, score of b, predictions) on the cuts both took part in
        (double A, double B, int Count, int Cuts) Common(Dictionary<int, Backtest[]> a, Dictionary<int, Backtest[]> b)
        {
            var shared = a.Keys.Intersect(b.Keys).ToList();
            if (shared.Count == 0) return (double.NaN, double.NaN, 0, 0);
            return (Mean(shared.Select(c => a[c])), Mean(shared.Select(c => b[c])), shared.Sum(c => a[c].Length), shared.Count);
        }
        double Margin(int count) => noise / Math.Sqrt(Math.Max(1, count));

        var best = ranked[0];
        foreach (var r in ranked.Skip(1))
        {
            var (sBest, sR, count, shared) = Common(best.ByCut, r.ByCut);
            if (shared == 0 || !(shared >= 2 || count >= 2)) continue;
            if (sR < 0.9 * sBest && sBest - sR > Margin(count)) best = r;
        }
        var tied = ranked.Where(r => r.Family.Name != best.Family.Name).Where(r =>
        {
            var (sBest, sR, count, shared) = Common(best.ByCut, r.ByCut);
            return shared > 0 && double.IsFinite(sR) && Math.Abs(sR - sBest) <= Math.Max(0.1 * sBest, Margin(count));
        }).Select(r => r.Family.Name).ToSeq();
        var plausible = ranked.Where(r => r.Family.Name != best.Family.Name && !tied.Contains(r.Family.Name)).Where(r =>
        {
            var (sBest, sR, _, shared) = Common(best.ByCut, r.ByCut);
            return shared > 0 && double.IsFinite(sR) && sR <= PlausibleFactor * sBest;
        }).Select(r => r.Family.Name).ToSeq();
        return new Selection(best.Family, scores, horizon, tied, plausible);
    }

    static double Mean(IEnumerable<Backtest[]> cuts)
    {
        var per = cuts.Where(b => b.Length > 0).Select(b => b.Average(x => Math.Abs(x.LogError))).ToList();
        return per.Count == 0 ? double.NaN : per.Average();
    }

    /// <summary>The backtest cuts (how many points each fits), largest first: cut ends at m_max / horizon and then half
    /// a doubling apart below it, each the largest point at or below its end, from 3 points up; when fewer than two
    /// such cuts exist, cuts nearer the end (shorter windows) fill up to two.</summary>
    public static int[] Cuts(IReadOnlyList<Observation> p, double horizon)
    {
        int n = p.Count;
        double top = p[n - 1].M;
        int CutAt(double end)
        {
            int c = 0;
            while (c < n && p[c].M <= end * (1 + 1e-12)) c++;
            return c;
        }
        var full = new List<int>();
        for (int i = 0; full.Count < MaxCuts && i < 64; i++)
        {
            int c = CutAt(top / horizon * Math.Pow(2, -i / 2.0));
            if (c < 3) break;
            if (c <= n - 1 && !full.Contains(c)) full.Add(c);
        }
        // short curves: cuts between the horizon's end and the last point
        for (int c = n - 1; full.Count < 2 && c >= 3; c--)
            if (!full.Contains(c)) full.Add(c);
        return full.OrderByDescending(c => c).ToArray();
    }

    /// <summary>The points a cut of c points predicts: those beyond it up to horizon × its largest size, at least the next one.</summary>
    public static Observation[] Targets(IReadOnlyList<Observation> p, int c, double horizon)
    {
        double end = p[c - 1].M * horizon * (1 + 1e-12);
        var t = p.Skip(c).TakeWhile(o => o.M <= end).ToArray();
        return t.Length > 0 ? t : [p[c]];
    }
}
