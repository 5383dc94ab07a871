using LanguageExt;
using static LanguageExt.Prelude;

namespace Lab.Fit;

/// <summary>How well a family extrapolated in model selection: fitted on all but the last points, scored on them.</summary>
/// <param name="Family">Family name.</param>
/// <param name="Score">Mean |ln(predicted / observed)| on the held-back points (lower is better); NaN if not eligible.</param>
/// <param name="FitPoints">Points it was fitted on for the score.</param>
/// <param name="HeldBack">Points it was scored on.</param>
/// <param name="Eligible">Whether it had enough points (at least parameters + 1) to take part.</param>
public sealed record FamilyScore(string Family, double Score, int FitPoints, int HeldBack, bool Eligible);

/// <summary>The family chosen for a curve and every family's score.</summary>
public sealed record Selection(ICurveFamily Chosen, Seq<FamilyScore> Scores);

/// <summary>
/// Chooses the family that extrapolates best: each candidate is fitted on all but the last <c>holdBack</c> points and
/// scored on them. Complexity guard: a family takes part only with at least parameters + 1 points to fit, and a family
/// with more parameters is chosen over a simpler one only if its score is at least 10% lower. With too few points for
/// any comparison the power law + irreducible error is used when it has a point to spare (4 or more), else the pure
/// power law: three parameters through three points fit any noise exactly, and extrapolate its curvature (the same rule
/// as the guard: at least parameters + 1 points).
/// </summary>
public static class FamilySelection
{
    /// <summary>Chooses among the candidates for the (validated, sorted) points.</summary>
    public static Selection Choose(Seq<Observation> pts, Seq<ICurveFamily> candidates, int holdBack = 0)
    {
        int n = pts.Count;
        int j = holdBack > 0 ? holdBack : n >= 8 ? 2 : 1;
        var fitPart = pts.Take(n - j).ToArray();
        var held = pts.Skip(n - j).ToArray();
        var scores = candidates.Map(f =>
        {
            int k = f.ParameterNames.Count;
            bool eligible = fitPart.Length >= k + 1 && fitPart.Select(p => p.Error).Distinct().Count() > 1;
            if (!eligible) return new FamilyScore(f.Name, double.NaN, fitPart.Length, held.Length, false);
            var theta = f.Fit(fitPart, null);
            double score = theta is null ? double.PositiveInfinity
                : held.Average(p => Math.Abs(Math.Log(Math.Max(f.Predict(theta, p.M), 1e-300) / p.Error)));
            return new FamilyScore(f.Name, double.IsFinite(score) ? score : double.PositiveInfinity, fitPart.Length, held.Length, true);
        }).Strict();
        var ranked = candidates.Zip(scores).Where(p => p.Item2.Eligible && double.IsFinite(p.Item2.Score))
            .OrderBy(p => p.Item1.ParameterNames.Count).ToList();
        if (ranked.Count == 0)
        {
            var fallback = candidates.Find(f => f.Name == "power-irreducible" && n >= f.ParameterNames.Count + 1)
                .IfNone(() => candidates.Find(f => f.Name == "power").IfNone(candidates.Head));
            return new Selection(fallback, scores);
        }
        var (best, bestScore) = ranked[0];
        foreach (var (f, s) in ranked.Skip(1))
            if (s.Score < bestScore.Score * 0.9) (best, bestScore) = (f, s);
        return new Selection(best, scores);
    }
}
