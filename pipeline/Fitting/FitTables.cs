using Lab.Fit;

namespace Lab.Pipeline.Fitting;

/// <summary>From curve analyses to the Parquet rows of fits, predictions, projections and comparisons. Pure.</summary>
public static class FitTables
{
    /// <summary>Every family's parameters (and the skipped ones), then the model-size fit.</summary>
    public static IEnumerable<FitRow> Fits(CurveAnalysis a)
    {
        foreach (var score in a.Selection.Scores.Count > 0 ? a.Selection.Scores.ToList() : [])
        {
            var fit = a.Fits.Find(f => f.Family.Name == score.Family);
            if (fit.IsNone) { yield return new FitRow { Curve = a.Curve, Family = score.Family, Status = "skipped", Reason = a.NotFitted.Find(n => n.Family == score.Family).Map(n => n.Reason).IfNone("not fitted"), SelectionScore = score.Score }; continue; }
            foreach (var r in Rows(fit.IfNone(() => throw new InvalidOperationException()), a, score.Score)) yield return r;
        }
        foreach (var f in a.Fits.Filter(f => a.Selection.Scores.ForAll(s => s.Family != f.Family.Name)))
            foreach (var r in Rows(f, a, double.NaN)) yield return r;
        foreach (var r in a.ModelSize.Match(s => Rows(s, a, double.NaN, isSize: true),
                     () => [new FitRow { Curve = $"{a.Curve}:model_size", Family = "power", Status = "failed", Reason = a.ModelSizeError }]))
            yield return r;
    }

    static IEnumerable<FitRow> Rows(CurveFit f, CurveAnalysis a, double score, bool isSize = false)
    {
        bool chosen = isSize || f.Family.Name == a.Fit.Family.Name;
        return f.Parameters.Map(p => new FitRow
        {
            Curve = f.Curve, Family = f.Family.Name, Chosen = chosen, Parameter = p.Name, Value = p.Value, Lower = p.Lower, Upper = p.Upper,
            Exponent = f.Family.Exponent(f.Theta), LogRmse = f.LogRmse, Points = f.Points.Count, BootstrapFits = f.Bootstrap.Count,
            SelectionScore = score, HoldoutError = chosen && !isSize ? a.HoldoutError : double.NaN, Reason = isSize ? a.ModelSizeNote : ""
        });
    }

    /// <summary>Every input point with the chosen fit's prediction.</summary>
    public static IEnumerable<PredictionRow> Predictions(CurveAnalysis a) => a.Predictions.Map(p => new PredictionRow
    {
        Curve = a.Curve, M = p.M, Observed = p.Observed, Predicted = p.Predicted, Lower = p.Lower, Upper = p.Upper,
        Split = p.Split, Family = a.Fit.Family.Name, Region = p.Region
    });

    /// <summary>The projections of the chosen fit.</summary>
    public static IEnumerable<ProjectionRow> Projections(CurveAnalysis a) => a.Projections.Map(p => new ProjectionRow
    {
        Curve = a.Curve, Family = a.Fit.Family.Name, Kind = p.Kind, Input = p.Input, Value = p.Value, Lower = p.Lower, Upper = p.Upper, Reachable = p.Reachable
    });

    /// <summary>Data, model size and compute for each target error of the chosen fit.</summary>
    public static IEnumerable<RequirementRow> Requirements(CurveAnalysis a) => a.Requirements.Map(r =>
    {
        Estimate none = new("", double.NaN, double.NaN, double.NaN);
        Estimate p = r.Params.IfNone(none), f = r.Flops.IfNone(none), h = r.Hours.IfNone(none);
        return new RequirementRow
        {
            Curve = r.Curve, Basis = r.Basis, TargetError = r.TargetError, Reachable = r.Reachable,
            Data = r.Data.Value, DataLower = r.Data.Lower, DataUpper = r.Data.Upper,
            Params = p.Value, ParamsLower = p.Lower, ParamsUpper = p.Upper,
            TrainFlops = f.Value, TrainFlopsLower = f.Lower, TrainFlopsUpper = f.Upper,
            TrainHours = h.Value, TrainHoursLower = h.Lower, TrainHoursUpper = h.Upper
        };
    });

    /// <summary>The metric of a curve name ("image/cnn:val_top1_error" → "val_top1_error"); names without ':' share one.</summary>
    static string Metric(string curve) => curve.Contains(':') ? curve[(curve.LastIndexOf(':') + 1)..] : "";

    /// <summary>Pairwise exponent comparisons of the chosen fits, between curves of the same metric.</summary>
    public static IEnumerable<ComparisonRow> Comparisons(IReadOnlyList<CurveAnalysis> all)
    {
        for (int i = 0; i < all.Count; i++)
            for (int j = i + 1; j < all.Count; j++)
            {
                if (Metric(all[i].Curve) != Metric(all[j].Curve)) continue;
                var c = ExponentComparison.Of(all[i].Fit, all[j].Fit);
                yield return new ComparisonRow
                {
                    CurveA = c.CurveA, CurveB = c.CurveB, ExponentA = c.ExponentA, ExponentB = c.ExponentB, Difference = c.Difference,
                    Lower = c.Lower, Upper = c.Upper, Pairs = c.Pairs, Verdict = c.Verdict
                };
            }
    }
}
