using LanguageExt;
using static LanguageExt.Prelude;

namespace Lab.Fit;

/// <summary>
/// What a size ladder can resolve of s(m) = alpha·m^beta_p. The search knows each point's best-fit size only to a cell
/// of its ladder: the next smaller size was measurably worse (at a bracketed point; the report counts the others), so
/// the smallest size within the noise lies above it, and the chosen size is within the noise, so it lies at or below that. When every point has the same size the bootstrap
/// has nothing to resample (every refit is flat), but beta_p is not thereby known to be 0: any line that passes through
/// every cell is as consistent with the search. The range of their slopes is the interval this gives.
/// </summary>
public static class SizeResolution
{
    /// <summary>How a fit made here is labelled where it is written (the note's first word; `fits.parquet`'s reason).</summary>
    public const string Label = "flat";

    /// <summary>The note that says a model-size fit was made here: what every point has, and what its interval is.</summary>
    public static string Note(double parameters) => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"{Label}: {parameters:N0} parameters at every point; the interval is the slopes of all lines through each point's ladder cell (above the next smaller size of its ladder, up to this one), not a bootstrap");

    /// <summary>The range of slopes b of lines ln s = a + b·ln m that pass through every cell (<c>Lower</c>,
    /// <c>Upper</c>] at its m (sizes in parameters). For two cells at ln m_i &lt; ln m_j a line needs
    /// (ln L_j − ln U_i)/(ln m_j − ln m_i) ≤ b ≤ (ln U_j − ln L_i)/(ln m_j − ln m_i); these pairwise bounds are also
    /// sufficient. None with fewer than two distinct m or when no line passes through all cells.</summary>
    public static Option<(double Lower, double Upper)> SlopeRange(IReadOnlyList<(double M, double Lower, double Upper)> cells)
    {
        double lo = double.NegativeInfinity, hi = double.PositiveInfinity;
        bool pair = false;
        for (int i = 0; i < cells.Count; i++)
            for (int j = 0; j < cells.Count; j++)
            {
                double dx = Math.Log(cells[j].M) - Math.Log(cells[i].M);
                if (!(dx > 0)) continue;
                pair = true;
                lo = Math.Max(lo, (Math.Log(cells[j].Lower) - Math.Log(cells[i].Upper)) / dx);
                hi = Math.Min(hi, (Math.Log(cells[j].Upper) - Math.Log(cells[i].Lower)) / dx);
            }
        return pair && lo <= hi && double.IsFinite(lo) && double.IsFinite(hi) ? Some((lo, hi)) : None;
    }

    /// <summary>
    /// s(m) for points that all have one best-fit size <c>Params</c>, each with the next smaller size of its ladder
    /// <c>Below</c>: beta_p = 0 (the least-squares slope of equal sizes) with the slope range of the cells as its
    /// interval, alpha = the size (no interval: it trades off against beta_p). No bootstrap refits (the requirements' s(m*) then has no
    /// interval). None when a point has no smaller size (the walk ended at the ladder's floor: nothing bounds it below).
    /// </summary>
    public static Option<CurveFit> Flat(string curve, IReadOnlyList<(double M, double Params, double Below)> points)
    {
        if (points.Count < 2 || points.Any(p => !(p.Below > 0) || !(p.Below < p.Params)) || points.Select(p => p.Params).Distinct().Count() != 1)
            return None;
        double size = points[0].Params;
        return SlopeRange(points.Select(p => (p.M, p.Below, p.Params)).ToList()).Map(r => new CurveFit(curve, new PowerLaw(),
            Seq(new Estimate("alpha", size, double.NaN, double.NaN), new Estimate("beta", 0, r.Lower, r.Upper)), 0,
            points.Select(p => new Observation(p.M, p.Params)).ToSeq(), Seq<BootstrapFit>()));
    }
}
