
namespace Lab.Pipeline.Results;

/// <summary>From trial rows to the learning curve: the best model per shard. Pure.</summary>
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
}
