using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Lab.Pipeline.Fitting;

namespace Lab.Tests;

/// <summary>Log-axis ticks a reader can read: 1-2-5 steps (1k, 2k, 5k, 10k), never 1.58k or 3.98k; narrow ranges get
/// evenly stepped values; always at least two labelled ticks, all distinct.</summary>
public class PlotTickProperties
{
    static double Mantissa(double v) => Math.Round(v / Math.Pow(10, Math.Floor(Math.Log10(v) + 1e-12)), 9);

    [Property(MaxTest = 300)]
    public Property Ticks_are_round_distinct_and_inside_the_range(PositiveInt a, PositiveInt b, PositiveInt c)
    {
        double lo = Math.Pow(10, -4 + (a.Get % 1000) / 100.0);            // 1e-4 … 1e6
        double decades = 0.02 + (b.Get % 1500) / 100.0;                 // 0.02 … 15 decades
        double hi = lo * Math.Pow(10, decades);
        var (majors, minors) = CurvePlot.LogTicks(lo, hi);
        var labels = CurvePlot.TickLabels(majors);
        bool inside = majors.Concat(minors).All(v => v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9));
        bool increasing = majors.Zip(majors.Skip(1)).All(p => p.Item2 > p.Item1);
        bool round = decades < 0.5 || majors.All(v => new[] { 1.0, 2, 3, 5 }.Contains(Mantissa(v)))
                     || majors.Zip(majors.Skip(1), (x, y) => y - x).Distinct().Count() <= 2;   // (a narrow fallback: even steps)
        bool evenWhenNarrow = decades >= 0.5 || new[] { 1.0, 2, 5 }.Contains(Mantissa(majors[1] - majors[0]));
        return (majors.Length >= 2 && labels.Distinct().Count() == labels.Length && inside && increasing && round && evenWhenNarrow)
            .Label($"[{lo:G4}, {hi:G4}]: {string.Join(" ", labels)}");
    }

    [Fact]
    public void A_doubling_curve_reads_1k_2k_5k_and_a_narrow_error_axis_reads_even_steps()
    {
        Assert.Equal(["1k", "2k", "5k", "10k", "20k", "50k", "100k"], CurvePlot.TickLabels(CurvePlot.LogTicks(900, 130_000).Majors));
        Assert.Equal(["4.38", "4.40", "4.42", "4.44", "4.46", "4.48", "4.50", "4.52"], CurvePlot.TickLabels(CurvePlot.LogTicks(4.37, 4.52).Majors));
        Assert.Equal(["4.40", "4.45", "4.50", "4.55"], CurvePlot.TickLabels(CurvePlot.LogTicks(4.37, 4.58).Majors));
    }
}
