namespace Lab.Pipeline.Results;

/// <summary>The requirements as a table (terminal and report): value with its 95 % interval per column.</summary>
public static class RequirementTable
{
    /// <summary>Column headers.</summary>
    public static readonly string[] Headers = ["curve", "target error", "data m", "best-fit params s(m)", "training FLOPs", "training hours (measured FLOP/s)"];

    static string F(double v) => double.IsPositiveInfinity(v) ? "∞" : double.IsFinite(v) ? v.ToString("G3", CultureInfo.InvariantCulture) : "—";

    static string Cell(double value, double lower, double upper)
        => double.IsFinite(value) ? $"{F(value)} [{F(lower)}, {F(upper)}]" : "—";

    /// <summary>One line per row; an unreachable target says so instead of numbers.</summary>
    public static IEnumerable<string[]> Lines(IEnumerable<RequirementRow> rows) => rows.Select(r => r.Reachable
        ? new[]
        {
            r.Curve, $"{F(r.TargetError)} ({r.Basis})", Cell(r.Data, r.DataLower, r.DataUpper), Cell(r.Params, r.ParamsLower, r.ParamsUpper),
            Cell(r.TrainFlops, r.TrainFlopsLower, r.TrainFlopsUpper), Cell(r.TrainHours, r.TrainHoursLower, r.TrainHoursUpper)
        }
        : [r.Curve, $"{F(r.TargetError)} ({r.Basis})", "unreachable: at or below the fitted floor", "—", "—", "—"]);
}
