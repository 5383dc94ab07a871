using Lab.Fit;
using LanguageExt;

namespace Lab.Pipeline.Results;

/// <summary>From trial rows to the learning curve (best model per shard) and its fits. Pure.</summary>
public static class Curves
{
    /// <summary>The best finished trial per shard by validation error; shards with no finished trial are left out.</summary>
    public static List<CurveRow> BestPerShard(IEnumerable<TrialRow> rows, string curve,
        Func<TrialRow, double> valError, Func<TrialRow, double> testError, Func<TrialRow, double> size)
        => rows.Where(r => r.Status == "ok" && double.IsFinite(valError(r)))
            .GroupBy(r => r.ShardIndex).OrderBy(g => g.Key)
            .Select(g =>
            {
                var best = g.OrderBy(valError).ThenBy(r => r.TrialId, StringComparer.Ordinal).First();
                return new CurveRow
                {
                    Curve = curve, M = size(best), Error = valError(best), Params = best.Parameters, Domain = best.Domain,
                    ShardIndex = best.ShardIndex, ShardExamples = best.ShardExamples, BestTrialId = best.TrialId,
                    Model = best.Model, LearningRate = best.LearningRate, TestError = testError(best), TrialsInShard = g.Count()
                };
            }).ToList();

    /// <summary>
    /// The learning curve eps(m) = alpha·m^beta_g + gamma and the best-fit model size s(m) = alpha·m^beta_p, each with
    /// bootstrap intervals; a curve that cannot be fitted gives a row with status "failed" and the reason.
    /// </summary>
    public static (List<FitRow> Rows, Option<CurveFit> Curve, Option<CurveFit> Size) Fit(IReadOnlyList<CurveRow> curve, int resamples, int seed)
    {
        var rows = new List<FitRow>();
        string name = curve.Count > 0 ? curve[0].Curve : "curve";
        var lc = CurveFitter.Fit(name, curve.Select(c => new Observation(c.M, c.Error)), new PowerLawIrreducible(), resamples, seed);
        var sz = CurveFitter.Fit($"{name}:model_size", curve.Select(c => new Observation(c.M, c.Params)), new PowerLaw(), resamples, seed);
        rows.AddRange(ToRows(lc, name, "power-irreducible"));
        rows.AddRange(ToRows(sz, $"{name}:model_size", "power"));
        return (rows, lc.ToOption(), sz.ToOption());
    }

    /// <summary>Fit rows of a fit, or one failed row with the reason.</summary>
    public static IEnumerable<FitRow> ToRows(Either<FitError, CurveFit> fit, string curve, string family) => fit.Match(
        f => f.Parameters.Map(p => new FitRow
        {
            Curve = f.Curve, Family = f.Family.Name, Parameter = p.Name, Value = p.Value, Lower = p.Lower, Upper = p.Upper,
            LogRmse = f.LogRmse, Points = f.Points.Count, BootstrapFits = f.Bootstrap.Count
        }).ToList(),
        e => [new FitRow { Curve = curve, Family = family, Status = "failed", Reason = e.Message, Value = double.NaN, Lower = double.NaN, Upper = double.NaN, LogRmse = double.NaN }]);
}
