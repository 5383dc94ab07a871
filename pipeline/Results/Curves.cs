namespace Lab.Pipeline.Results;

/// <summary>From trial rows to the learning curve: the best model per shard. Pure.</summary>
public static class Curves
{
    /// <summary>The best finished trial per shard by validation error; shards with no finished trial are left out.</summary>
    public static List<CurveRow> BestPerShard(IEnumerable<TrialRow> rows, Study.CurveSpec spec)
    {
        double valError(TrialRow r) => r.Metric(spec.ValMetric);
        double testError(TrialRow r) => r.Metric(spec.TestMetric);
        string curve = spec.Name;
        return rows.Where(r => r.Outcome == TrialStatus.Ok && double.IsFinite(valError(r)) && (spec.Architecture is null || r.Architecture == spec.Architecture))
            .GroupBy(r => r.ShardIndex).OrderBy(g => g.Key)
            .Select(g =>
            {
                var best = g.OrderBy(valError).ThenBy(r => r.TrialId, StringComparer.Ordinal).First();
                return new CurveRow
                {
                    Curve = curve, M = best.ShardSize, Error = valError(best), Params = best.Parameters, Domain = best.Domain,
                    ShardIndex = best.ShardIndex, ShardExamples = best.ShardExamples, BestTrialId = best.TrialId,
                    Model = best.Model, LearningRate = best.LearningRate, TestError = testError(best), TrialsInShard = g.Count()
                };
            }).ToList();
    }
}
