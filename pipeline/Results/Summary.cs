using System.Globalization;
using System.Text;
using Lab.Pipeline.Study;

namespace Lab.Pipeline.Results;

/// <summary>The end-of-study summary: terminal tables and a short Markdown report, one line per curve.</summary>
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

    /// <summary>A caution for beta_p when the grid's largest model is the best at half the sizes or more: the fitted
    /// growth of the model size is then bounded by the grid, not measured.</summary>
    public static string GridBound(CurveSpec s, IReadOnlyList<CurveRow> curve, IReadOnlyList<TrialRow> rows)
    {
        var points = curve.Where(c => c.Curve == s.Name).ToList();
        var pool = rows.Where(r => r.Status == "ok" && (s.Architecture is null || r.Architecture == s.Architecture)).ToList();
        if (points.Count == 0 || pool.Count == 0) return "";
        long largest = pool.Max(r => r.Parameters);
        int wins = points.Count(p => (long)p.Params == largest);
        return wins * 2 >= points.Count ? $" (grid-bound: the largest model wins at {wins} of {points.Count} sizes; widen the grid)" : "";
    }

    static string BetaP(IReadOnlyList<FitRow> fits, CurveSpec s, IReadOnlyList<CurveRow> curve, IReadOnlyList<TrialRow> rows)
    {
        var p = Param(fits, $"{s.Name}:model_size", "power", "beta");
        return p.StartsWith("not fitted", StringComparison.Ordinal) || p == "—" ? p : p + GridBound(s, curve, rows);
    }

    static IEnumerable<string[]> FitLines(IReadOnlyList<CurveSpec> specs, IReadOnlyList<FitRow> fits, IReadOnlyList<CurveRow> curve, IReadOnlyList<TrialRow> rows) => specs.Select(s => new[]
    {
        s.Name,
        Param(fits, s.Name, "power-irreducible", "beta"),
        Param(fits, s.Name, "power-irreducible", "gamma"),
        BetaP(fits, s, curve, rows),
        fits.FirstOrDefault(f => f.Chosen && f.Curve == s.Name)?.Family ?? "—",
        F(s.BestGuess)
    });

    static readonly string[] FitHeaders = ["curve", "beta_g (eps = alpha m^beta_g + gamma)", "gamma", "beta_p (s = alpha m^beta_p)", "family chosen by extrapolation", "best guess"];

    /// <summary>Prints the best model per shard of every curve, the fitted exponents, and the trial counts.</summary>
    public static void Print(Reporter report, IReadOnlyList<TrialRow> rows, IReadOnlyList<CurveRow> curve, IReadOnlyList<FitRow> fits,
        IReadOnlyList<CurveSpec> specs, string unit, TimeSpan elapsed, int trained)
    {
        report.Table($"Best model per shard (validation metric from ONNX Runtime; m in {unit})",
            ["curve", "shard", "m", "best model", "params", "lr", "validation", "test", "trials"],
            curve.Select(c => new[] { c.Curve, c.ShardIndex.ToString(), c.M.ToString("N0"), c.Model, c.Params.ToString("N0"), c.LearningRate.ToString("G3"),
                F(c.Error), F(c.TestError), c.TrialsInShard.ToString() }));
        report.Table("Fits (95% bootstrap intervals)", FitHeaders, FitLines(specs, fits, curve, rows));
        report.Line($"trials: {rows.Count} ({(trained >= 0 ? $"{trained} trained now, " : "")}{rows.Count(r => r.Status == "ok")} ok, " +
                    $"{rows.Count(r => r.Status == "diverged")} diverged, {rows.Count(r => r.Status == "failed")} failed)" +
                    (elapsed > TimeSpan.Zero ? $"; wall time {elapsed.TotalMinutes:F1} min" : ""));
    }

    /// <summary>A short Markdown report of the study.</summary>
    public static string Markdown(PlanRow? study, IReadOnlyList<TrialRow> rows, IReadOnlyList<CurveRow> curve, IReadOnlyList<FitRow> fits,
        IReadOnlyList<CurveSpec> specs, string unit, TimeSpan elapsed, int trained)
    {
        var sb = new StringBuilder();
        sb.AppendLine($"# Learning curves: {study?.Domain}, preset {study?.Preset}, seed {study?.Seed}\n");
        sb.AppendLine($"{rows.Count} trials{(trained >= 0 ? $" ({trained} trained in this run)" : "")}{(elapsed > TimeSpan.Zero ? $", wall time {elapsed.TotalMinutes:F1} min" : "")}; m in {unit}.\n");
        sb.AppendLine("| curve | shard | m | best model | params | validation | test |\n|---|---|---|---|---|---|---|");
        foreach (var c in curve) sb.AppendLine($"| {c.Curve} | {c.ShardIndex} | {c.M:N0} | {c.Model} | {c.Params:N0} | {F(c.Error)} | {F(c.TestError)} |");
        sb.AppendLine($"\n| {string.Join(" | ", FitHeaders)} |\n|{string.Concat(Enumerable.Repeat("---|", FitHeaders.Length))}");
        foreach (var l in FitLines(specs, fits, curve, rows)) sb.AppendLine($"| {string.Join(" | ", l)} |");
        sb.AppendLine("\nPlots: `plots/`. Tables: `trials.parquet`, `curve.parquet`, `fits.parquet`, `predictions.parquet`, `projections.parquet`.");
        return sb.ToString();
    }
}
