using System.Globalization;
using System.Text;

namespace Lab.Pipeline.Results;

/// <summary>The end-of-run summary: a terminal table and a short Markdown report.</summary>
public static class Summary
{
    static string F(double v, string fmt = "F4") => double.IsFinite(v) ? v.ToString(fmt, CultureInfo.InvariantCulture) : "—";

    /// <summary>"-0.123 [-0.2, -0.05]" for a parameter of a family's fit, or why it is missing.</summary>
    public static string Param(IEnumerable<FitRow> fits, string curveSuffix, string family, string parameter)
    {
        var r = fits.FirstOrDefault(f => f.Curve.EndsWith(curveSuffix) && (f.Family == family || f.Family == "") && (f.Parameter == parameter || f.Status != "ok"));
        if (r is null) return "—";
        return r.Status != "ok" ? $"not fitted: {r.Reason}" : $"{F(r.Value)} [{F(r.Lower)}, {F(r.Upper)}]";
    }

    /// <summary>Prints the best model per shard and the fitted exponents.</summary>
    public static void Print(Reporter report, IReadOnlyList<TrialRow> rows, IReadOnlyList<CurveRow> curve, IReadOnlyList<FitRow> fits,
        TimeSpan elapsed, int trained, double bestGuess)
    {
        report.Table("Best model per shard (validation cross-entropy from ONNX Runtime, nats)",
            ["shard", "tokens", "best model", "params", "lr", "val CE", "test CE", "trials"],
            curve.Select(c => new[] { c.ShardIndex.ToString(), c.M.ToString("N0"), c.Model, c.Params.ToString("N0"), c.LearningRate.ToString("G3"),
                F(c.Error), F(c.TestError), c.TrialsInShard.ToString() }));
        report.Table("Fits (95% bootstrap intervals)", ["quantity", "value"],
        [
            ["beta_g (eps = alpha m^beta_g + gamma)", Param(fits, "val_cross_entropy", "power-irreducible", "beta")],
            ["gamma (irreducible)", Param(fits, "val_cross_entropy", "power-irreducible", "gamma")],
            ["beta_p (s = alpha m^beta_p)", Param(fits, ":model_size", "power", "beta")],
            ["family chosen by extrapolation", fits.FirstOrDefault(f => f.Chosen && !f.Curve.EndsWith(":model_size"))?.Family ?? "—"],
            ["best-guess error", F(bestGuess)],
            ["trials", $"{rows.Count} ({(trained >= 0 ? $"{trained} trained now, " : "")}{rows.Count(r => r.Status == "ok")} ok, {rows.Count(r => r.Status == "diverged")} diverged, {rows.Count(r => r.Status == "failed")} failed)"],
            ["wall time", elapsed > TimeSpan.Zero ? $"{elapsed.TotalMinutes:F1} min" : "—"]
        ]);
        foreach (var f in rows.Where(r => r.Status == "failed")) report.Error($"trial {f.TrialId} failed: {f.Reason}");
    }

    /// <summary>A short Markdown report of the run.</summary>
    public static string Markdown(Study.PlanRow? study, IReadOnlyList<TrialRow> rows, IReadOnlyList<CurveRow> curve, IReadOnlyList<FitRow> fits, TimeSpan elapsed, int trained)
    {
        var sb = new StringBuilder();
        sb.AppendLine($"# Learning curve: {study?.Domain}, preset {study?.Preset}, seed {study?.Seed}\n");
        sb.AppendLine($"{rows.Count} trials{(trained >= 0 ? $" ({trained} trained in this run)" : "")}{(elapsed > TimeSpan.Zero ? $", wall time {elapsed.TotalMinutes:F1} min" : "")}.\n");
        sb.AppendLine("| shard | m | best model | params | val error | test error |\n|---|---|---|---|---|---|");
        foreach (var c in curve) sb.AppendLine($"| {c.ShardIndex} | {c.M:N0} | {c.Model} | {c.Params:N0} | {F(c.Error)} | {F(c.TestError)} |");
        sb.AppendLine($"\n- beta_g (power law + irreducible error): {Param(fits, curve.FirstOrDefault()?.Curve ?? "", "power-irreducible", "beta")}");
        sb.AppendLine($"- gamma: {Param(fits, curve.FirstOrDefault()?.Curve ?? "", "power-irreducible", "gamma")}");
        sb.AppendLine($"- beta_p: {Param(fits, ":model_size", "power", "beta")}");
        sb.AppendLine($"- family chosen by extrapolation: {fits.FirstOrDefault(f => f.Chosen && !f.Curve.EndsWith(":model_size"))?.Family ?? "—"}");
        sb.AppendLine($"\nPlots: `plots/`. Tables: `trials.parquet`, `curve.parquet`, `fits.parquet`, `predictions.parquet`, `projections.parquet`.");
        return sb.ToString();
    }
}
