using Lab.Fit;

namespace Lab.Pipeline.Fitting;

/// <summary>The options of `pipeline fit`.</summary>
public sealed record FitOptions(string Curves, int HoldoutLast, string Family, int Bootstrap, double? TargetError, double? BestGuess, string Out, int Seed, double? Horizon = null);

/// <summary>`pipeline fit`: fits every curve of a CSV or Parquet file, prints a table, writes the fit files and plots.
/// A curve that cannot be fitted is reported with its name and does not stop the others (exit code 2 at the end).</summary>
public static class FitCommand
{
    /// <summary>Runs the command.</summary>
    public static async Task<Either<Problem, int>> Run(FitOptions o, Reporter report)
    {
        if (Paths.CheckWritable(o.Out) is string bad) return new Problem(bad, "choose another --out");
        if (!o.Family.Equals("auto", StringComparison.OrdinalIgnoreCase) && CurveFitter.Family(o.Family).IsNone)
            return new Problem($"unknown family '{o.Family}'", $"use auto, {string.Join(", ", CurveFitter.Families.Map(f => f.Name))}");
        var read = await CurvesFile.Read(o.Curves);
        if (read.IsLeft) return read.Map(_ => 0);
        var curves = read.Match(c => c, _ => []);
        if (o.Horizon is double h && !(h > 1)) return new Problem($"--horizon {h} must be above 1 (a multiple of the largest fitted size)", "e.g. --horizon 2 for the next doubling");
        var options = new AnalysisOptions(o.Family, o.HoldoutLast, o.Bootstrap, o.Seed, o.BestGuess, o.TargetError, o.Horizon);
        var (analyses, failures) = Analyse(curves, options);
        foreach (var f in failures) report.Error(f.ToString());
        await FitOutputs.Write(o.Out, analyses, failures, report);
        Print(report, analyses);
        return failures.Count == 0 ? 0 : 2;
    }

    /// <summary>Analyses every curve; failures are collected, not thrown.</summary>
    public static (List<CurveAnalysis> Ok, List<FitError> Failed) Analyse(IEnumerable<(string Curve, List<CurvePoint> Points)> curves, AnalysisOptions o)
    {
        var ok = new List<CurveAnalysis>(); var failed = new List<FitError>();
        foreach (var (name, pts) in curves)
            CurveAnalysis.Run(name, pts, o).Match(ok.Add, failed.Add);
        return (ok, failed);
    }

    static string F(double v) => double.IsFinite(v) ? v.ToString("G4", CultureInfo.InvariantCulture) : "—";

    /// <summary>The terminal table: chosen family, parameters with intervals, extrapolation on held-out points, scores.</summary>
    public static void Print(Reporter report, IReadOnlyList<CurveAnalysis> analyses)
    {
        report.Table("Fitted learning curves (parameters: 95% bootstrap intervals)",
            ["curve", "family", "parameters", "held-out error", "selection scores (rolling-origin backtests: mean |log error| over the horizon)"],
            analyses.Select(a => new[]
            {
                a.Curve, a.Fit.Family.Name,
                string.Join("\n", a.Fit.Parameters.Map(p => $"{p.Name} = {F(p.Value)} [{F(p.Lower)}, {F(p.Upper)}]")),
                double.IsFinite(a.HoldoutError) ? $"{100 * a.HoldoutError:F2}%" : "—",
                string.Join("\n", a.Selection.Scores.Map(s => $"{s.Family}: {(s.Eligible ? $"{F(s.Score)} ({s.HeldBack} predictions)" : "too few points")}")
                    .Append($"horizon {F(a.Selection.Horizon)}x"))
            }));
        foreach (var a in analyses)
            foreach (var n in a.Notes) report.Line($"{a.Curve}: {n}");
        var proj = analyses.SelectMany(a => a.Projections.Map(p => new[]
        {
            a.Curve, p.Kind == "size_for_error" ? $"m for error {F(p.Input)}" : $"error at m = {F(p.Input)}",
            p.Reachable ? F(p.Value) : "unreachable (at or below the floor)", $"[{F(p.Lower)}, {F(p.Upper)}]"
        })).ToList();
        if (proj.Count > 0) report.Table("Projections (95% band: bootstrap, backtest drift beyond the data, tied families)", ["curve", "question", "answer", "95% interval"], proj);
        var needs = analyses.SelectMany(FitTables.Requirements).ToList();
        if (needs.Count > 0) report.Table("What a target error takes (95% bootstrap intervals)", RequirementTable.Headers, RequirementTable.Lines(needs));
        foreach (var a in analyses)
            a.ModelSize.IfSome(s => report.Line($"{a.Curve}: best model size s(m) = {F(s["alpha"].Value)}·m^{F(s["beta"].Value)}, beta_p in [{F(s["beta"].Lower)}, {F(s["beta"].Upper)}]{(a.ModelSizeNote.Length > 0 ? $" ({a.ModelSizeNote})" : "")}"));
    }
}
