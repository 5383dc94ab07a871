using System.Text;

namespace Lab.Pipeline.Results;

/// <summary>Everything the end-of-study summary reads.</summary>
public sealed record StudySummary(PlanRow? Study, IReadOnlyList<TrialRow> Rows, IReadOnlyList<CurveRow> Curve, IReadOnlyList<FitRow> Fits,
    IReadOnlyList<CurveSpec> Specs, string Unit, TimeSpan Elapsed, int Trained, Compute Compute, bool Concluded,
    IReadOnlyList<RequirementRow> Requirements, IReadOnlyDictionary<string, double>? Extrapolation = null);

/// <summary>The end-of-study summary: terminal tables and the Markdown report (with the plots embedded).</summary>
public static class Summary
{
    static string F(double v, string fmt = "F4") => double.IsFinite(v) ? v.ToString(fmt, CultureInfo.InvariantCulture) : "—";

    /// <summary>"-0.123 [-0.2, -0.05]" for a parameter of a family's fit of a curve, or why it is missing.</summary>
    public static string Param(IEnumerable<FitRow> fits, string curve, string family, string parameter)
    {
        var r = fits.FirstOrDefault(f => f.Curve == curve && (f.Family == family || f.Family == "") && (f.Parameter == parameter || f.Status != "ok"));
        if (r is null) return "—";
        return r.Status != "ok" ? $"not fitted: {r.Reason}" : $"{F(r.Value)} [{F(r.Lower)}, {F(r.Upper)}]";
    }

    /// <summary>
    /// A caution for a curve whose points the search could not bracket: how many points lie in the small-data region
    /// (the ladder's smallest size, the next within the noise: left out of s(m)), how many ended at a ladder's end or the
    /// trial cap, by cause, with the cap named (the ladder's largest model). Empty when every point is bracketed.
    /// </summary>
    public static string Bound(CurveSpec s, IReadOnlyList<CurveRow> curve, IReadOnlyList<TrialRow> rows)
    {
        var points = curve.Where(c => c.Curve == s.Name).ToList();
        var bound = points.Where(p => !p.Bracketed).ToList();
        if (bound.Count == 0) return "";
        static string[] Causes(CurveRow p) => p.BoundBy.Split(',', StringSplitOptions.RemoveEmptyEntries);
        int small = bound.Count(p => Causes(p).Contains("small-data"));
        var other = bound.Where(p => Causes(p).Any(c => c != "small-data")).ToList();
        var causes = other.SelectMany(p => Causes(p).Where(c => c != "small-data")).GroupBy(c => c).Select(g => $"{g.Key} {g.Count()}").ToList();
        var largest = rows.Where(r => s.Architecture is null || r.Architecture == s.Architecture).Select(r => r.Parameters).DefaultIfEmpty(0).Max();
        var parts = new List<string>();
        if (small > 0) parts.Add($"{small} of {points.Count} points in the small-data region (the smallest size, the next within the noise; left out of s(m))");
        if (other.Count > 0) parts.Add($"bound at {other.Count} of {points.Count} points: {string.Join(", ", causes)}; largest model trained {largest:N0} parameters");
        return $" ({string.Join("; ", parts)})";
    }

    /// <summary>
    /// Whether a point's seeds disagree: its relative spread is over 2 % and over 5 × the median relative spread of its
    /// curve's points. Seen when one seed failed to train, or left a plateau the others did not (word-level RHNs): the
    /// point's mean then describes the optimiser more than the data, and the report says so.
    /// </summary>
    public static bool SeedsDisagree(CurveRow point, IReadOnlyList<CurveRow> curve)
    {
        static double Rel(CurveRow c) => c.Seeds >= 2 && double.IsFinite(c.ErrorStd) && c.Error > 0 ? c.ErrorStd / c.Error : double.NaN;
        double rel = Rel(point);
        if (!(rel > 0.02)) return false;
        return rel > 5 * Statistics.Median(curve.Where(c => c.Curve == point.Curve).Select(Rel).Where(double.IsFinite));
    }

    static string BetaP(IReadOnlyList<FitRow> fits, CurveSpec s, IReadOnlyList<CurveRow> curve, IReadOnlyList<TrialRow> rows)
    {
        var p = Param(fits, $"{s.Name}:model_size", "power", "beta");
        if (p.StartsWith("not fitted", StringComparison.Ordinal) || p == "—") return p;
        // a flat best-fit size: the interval is the ladder's resolution, and the row says so
        bool flat = fits.Any(f => f.Curve == $"{s.Name}:model_size" && f.Status == "ok" && f.Reason.StartsWith(Lab.Fit.SizeResolution.Label, StringComparison.Ordinal));
        return p + (flat ? " (flat: one size at every point; the interval is what the size ladder resolves, not a bootstrap)" : "") + Bound(s, curve, rows);
    }

    static IEnumerable<string[]> FitLines(StudySummary x) => x.Specs.Select(s => new[]
    {
        s.Name,
        Param(x.Fits, s.Name, "power-irreducible", "beta"),
        Param(x.Fits, s.Name, "power-irreducible", "gamma"),
        BetaP(x.Fits, s, x.Curve, x.Rows),
        x.Fits.FirstOrDefault(f => f.Chosen && f.Curve == s.Name)?.Family ?? "—",
        x.Extrapolation?.GetValueOrDefault(s.Name, double.NaN) is double c && double.IsFinite(c) ? F(c, "F3") : "—",
        F(s.BestGuess)
    });

    static readonly string[] FitHeaders = ["curve", "beta_g (eps = alpha m^beta_g + gamma)", "gamma", "beta_p (s = alpha m^beta_p)", "family chosen by extrapolation",
        "two largest shards predicted from the rest: mean |ln ratio|", "best guess"];

    static readonly string[] PointHeaders = ["curve", "shard", "m", "best-fit model", "params", "lr", "validation (mean ± sd, seeds)", "test", "bracketed", "trials"];

    static IEnumerable<string[]> PointLines(StudySummary x) => x.Curve.Select(c => new[]
    {
        c.Curve, c.ShardIndex.ToString(CultureInfo.InvariantCulture), c.M.ToString("N0", CultureInfo.InvariantCulture), c.Model,
        c.Params.ToString("N0", CultureInfo.InvariantCulture), c.LearningRate.ToString("G3", CultureInfo.InvariantCulture),
        $"{F(c.Error)} ± {F(c.ErrorStd)} ({c.Seeds})" + (c.BudgetStops > 0 ? $", {c.BudgetStops} at the epoch budget" : "") +
            (SeedsDisagree(c, x.Curve) ? ", seeds disagree" : ""), F(c.TestError), (c.Bracketed ? "yes" : $"no: {c.BoundBy}") + (c.Grown.Length > 0 ? $" (ladders grown: {c.Grown})" : ""),
        c.TrialsInShard.ToString(CultureInfo.InvariantCulture)
    });

    /// <summary>Trials by outcome and by why training stopped.</summary>
    public static string TrialLine(StudySummary x)
    {
        var rows = x.Rows;
        var stops = rows.Where(r => r.StoppedBy.Length > 0).GroupBy(r => r.StoppedBy).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => $"{g.Count()} {g.Key}");
        return $"trials: {rows.Count} ({(x.Trained >= 0 ? $"{x.Trained} trained now, " : "")}{rows.Count(r => r.Outcome == TrialStatus.Ok)} ok, " +
               $"{rows.Count(r => r.Outcome == TrialStatus.Diverged)} diverged, {rows.Count(r => r.Outcome == TrialStatus.Failed)} failed); stopped by: {string.Join(", ", stops)}" +
               $"; {rows.Count(r => r.StoppedBy == Lab.Stages.Train.StopReasons.Budget)} budget stops" +
               (x.Elapsed > TimeSpan.Zero ? $"; wall time {x.Elapsed.TotalMinutes:F1} min" : "");
    }

    /// <summary>The study's training compute against the equivalent full grid.</summary>
    public static string ComputeLine(Compute c)
        => $"compute: {c.Flops:E2} FLOPs in {c.Seconds / 60:F1} min of training ({c.Trials} trials); the full grid (every size × learning rate × seed at every shard, " +
           $"{c.GridTrials} trials) would be about {c.GridFlops:E2} FLOPs, {c.GridSeconds / 60:F0} min: the search spent {100 * c.Ratio:F0} % of it " +
           "(FLOPs estimated as 6 × parameters × training units)";

    const string RequirementsTitle = "What a target error takes: data, best-fit model size s(m) and training compute there (95% bootstrap intervals; " +
        "compute from a power law fitted to the best-fit trials' measured FLOPs)";

    /// <summary>Prints the best-fit model per shard of every curve, the fitted exponents, the trial counts and the compute.</summary>
    public static void Print(Reporter report, StudySummary x)
    {
        report.Table($"Best-fit model per shard (validation metric from ONNX Runtime; m in {x.Unit})", PointHeaders, PointLines(x));
        report.Table("Fits (95% bootstrap intervals)", FitHeaders, FitLines(x));
        if (x.Requirements.Count > 0) report.Table(RequirementsTitle, RequirementTable.Headers, RequirementTable.Lines(x.Requirements));
        report.Line(TrialLine(x));
        report.Line(ComputeLine(x.Compute));
        if (!x.Concluded) report.Line("the search has not concluded every shard yet: the curves hold the shards it has");
    }

    /// <summary>The Markdown report of the study, plots embedded.</summary>
    public static string Markdown(StudySummary x)
    {
        var sb = new StringBuilder();
        sb.AppendLine($"# Learning curves: {x.Study?.Domain}, preset {x.Study?.Preset}, seed {x.Study?.Seed}\n");
        sb.AppendLine($"m in {x.Unit}. Each point is the best-fit model of its shard: the smallest model within the noise margin of the best " +
                      "error the search found, at its best learning rate, averaged over its seeds (± their standard deviation).\n");
        sb.AppendLine($"- {TrialLine(x)}\n- {ComputeLine(x.Compute)}");
        if (!x.Concluded) sb.AppendLine("- The search has not concluded every shard yet: the curves hold the shards it has.");
        sb.AppendLine($"\n| {string.Join(" | ", PointHeaders)} |\n|{string.Concat(Enumerable.Repeat("---|", PointHeaders.Length))}");
        foreach (var l in PointLines(x)) sb.AppendLine($"| {string.Join(" | ", l)} |");
        sb.AppendLine($"\n| {string.Join(" | ", FitHeaders)} |\n|{string.Concat(Enumerable.Repeat("---|", FitHeaders.Length))}");
        foreach (var l in FitLines(x)) sb.AppendLine($"| {string.Join(" | ", l)} |");
        if (x.Requirements.Count > 0)
        {
            sb.AppendLine($"\n{RequirementsTitle}\n\n| {string.Join(" | ", RequirementTable.Headers)} |\n|{string.Concat(Enumerable.Repeat("---|", RequirementTable.Headers.Length))}");
            foreach (var l in RequirementTable.Lines(x.Requirements)) sb.AppendLine($"| {string.Join(" | ", l)} |");
        }
        sb.AppendLine();
        foreach (var s in x.Specs) sb.AppendLine($"![{s.Name}](plots/{Fitting.CurvePlot.Stem(s.Name)}.png)\n");
        sb.AppendLine("Tables: `trials.parquet`, `curve.parquet`, `fits.parquet`, `predictions.parquet`, `projections.parquet`, `requirements.parquet`; the search: `space.parquet`, `plan.parquet`.");
        return sb.ToString();
    }
}
