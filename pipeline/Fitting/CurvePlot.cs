using Lab.Fit;
using ScottPlot;

namespace Lab.Pipeline.Fitting;

/// <summary>
/// One picture per curve (PNG and SVG): left, the learning curve on log-log axes — observed points with ±1 standard
/// deviation of their seeds (held-out ones as open red circles), the fitted curve, its 95% bootstrap band, the regions
/// shaded, the x range running to the projections (4× the largest size); right, the best model's parameter
/// count against m with s(m) = alpha·m^beta_p.
/// </summary>
public static class CurvePlot
{
    const int Width = 1400, Height = 560;

    /// <summary>File name stem for a curve name.</summary>
    public static string Stem(string curve) => new string(curve.Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' ? c : '_').ToArray());

    /// <summary>Writes &lt;dir&gt;/&lt;stem&gt;.png and .svg; returns the PNG path.</summary>
    public static string Save(CurveAnalysis a, string dir)
    {
        Directory.CreateDirectory(dir);
        var left = LearningCurve(a);
        var right = ModelSize(a);
        var stem = Path.Combine(dir, Stem(a.Curve));
        var multi = new Multiplot(left);
        multi.AddPlot(right);
        multi.Layout = new ScottPlot.MultiplotLayouts.Columns();
        var tmpPng = $"{stem}.tmp-{Environment.ProcessId}.png";
        multi.SavePng(tmpPng, Width, Height);
        File.Move(tmpPng, stem + ".png", overwrite: true);
        var svg = $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\">"
                  + Nest(left.GetSvgXml(Width / 2, Height), 0) + Nest(right.GetSvgXml(Width / 2, Height), Width / 2) + "</svg>";
        Io.AtomicFile.WriteAllText(stem + ".svg", svg);
        return stem + ".png";
    }

    static string Nest(string svg, int x)
    {
        int start = svg.IndexOf("<svg", StringComparison.Ordinal);
        return start < 0 ? "" : svg[start..].Insert(4, $" x=\"{x}\" y=\"0\"");
    }

    /// <summary>3 significant digits with k/M/G for large numbers: 3.16k, 10k, 2.5M, 5.08.</summary>
    public static string Human(double v) => Math.Abs(v) switch
    {
        >= 1e9 => $"{v / 1e9:G3}G",
        >= 1e6 => $"{v / 1e6:G3}M",
        >= 1e3 => $"{v / 1e3:G3}k",
        _ => v.ToString("G3")
    };

    /// <summary>Log axes (the plots draw log10 of their values) with readable ticks: fixed to the data's range, majors
    /// at 1-2-5 steps (<see cref="LogTicks"/>), minors at every integer multiple of the decade.</summary>
    static void LogAxes(Plot p, string xLabel, string yLabel)
    {
        p.Axes.AutoScale();
        var limits = p.Axes.GetLimits();
        foreach (var (axis, label, lo, hi) in new (ScottPlot.IAxis, string, double, double)[]
                     { (p.Axes.Bottom, xLabel, limits.Left, limits.Right), (p.Axes.Left, yLabel, limits.Bottom, limits.Top) })
        {
            var ticks = new ScottPlot.TickGenerators.NumericManual();
            var (majors, minors) = LogTicks(Math.Pow(10, lo), Math.Pow(10, hi));
            var labels = TickLabels(majors);
            for (int i = 0; i < majors.Length; i++) ticks.AddMajor(Math.Log10(majors[i]), labels[i]);
            foreach (var v in minors) ticks.AddMinor(Math.Log10(v));
            axis.TickGenerator = ticks;
            axis.Label.Text = label;
        }
    }

    /// <summary>Labels of major ticks: 1k, 2k, 5k (<see cref="Human"/>) on a log scale, and as many decimals as the step
    /// needs on an evenly stepped one (4.40, 4.45, 4.50) or where the short form would not tell them apart.</summary>
    public static string[] TickLabels(double[] majors)
    {
        var human = majors.Select(Human).ToArray();
        var steps = majors.Zip(majors.Skip(1), (a, b) => b - a).ToArray();
        bool even = steps.Length > 0 && steps.All(d => Math.Abs(d - steps[0]) <= 1e-9 * Math.Abs(steps[0]));
        if (!even && human.Distinct().Count() == human.Length) return human;
        if (steps.Length == 0) return human;
        double step = steps.Min();
        int decimals = Math.Clamp(-(int)Math.Floor(Math.Log10(step) + 1e-9), 0, 12);
        return majors.Select(v => v.ToString($"F{decimals}", System.Globalization.CultureInfo.InvariantCulture)).ToArray();
    }

    /// <summary>
    /// Readable ticks for a log axis over [lo, hi] (values, not logs): majors at 1, 2, 5 × 10^k when the range spans
    /// up to about three decades, 1 and 3 × 10^k up to six, powers of ten (every one or every few) beyond; a range
    /// narrower than a factor of about 3 gets evenly stepped values instead (a 1-2-5 step of the values: 4.4, 4.45, 4.5).
    /// Minors: every integer multiple of a decade (2 … 9 × 10^k) or of the narrow range's step. Always at least two majors.
    /// </summary>
    public static (double[] Majors, double[] Minors) LogTicks(double lo, double hi)
    {
        if (!(lo > 0) || !(hi > lo) || !double.IsFinite(hi)) return ([], []);
        double decades = Math.Log10(hi / lo);
        static bool In(double v, double a, double b) => v >= a * (1 - 1e-12) && v <= b * (1 + 1e-12);
        if (decades >= 0.5)
        {
            double[] mantissas = decades <= 3.2 ? [1, 2, 5] : decades <= 6.5 ? [1, 3] : [1];
            int every = decades <= 12 ? 1 : (int)Math.Ceiling(decades / 10);
            int k0 = (int)Math.Floor(Math.Log10(lo)) - 1, k1 = (int)Math.Ceiling(Math.Log10(hi)) + 1;
            var majors = new List<double>(); var minors = new List<double>();
            for (int k = k0; k <= k1; k++)
            {
                double decade = Math.Pow(10, k);
                if (k % every == 0) foreach (var f in mantissas) if (In(f * decade, lo, hi)) majors.Add(f * decade);
                if (decades <= 12) for (int f = 1; f <= 9; f++) if (In(f * decade, lo, hi) && !mantissas.Contains(f)) minors.Add(f * decade);
            }
            if (majors.Count >= 2) return (majors.ToArray(), minors.ToArray());
        }
        // a narrow range: evenly stepped values, the largest 1-2-5 step that still gives four ticks or more
        double raw = (hi - lo) / 4, mag = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        double step = new[] { 5.0, 2, 1 }.Select(f => f * mag).First(st => st <= raw);
        List<double> Steps(double st)
        {
            var list = new List<double>();
            for (long n = (long)Math.Ceiling(lo / st); n * st <= hi * (1 + 1e-12); n++) list.Add(Math.Round(n * st, 12));
            return list;
        }
        var even = Steps(step);
        return (even.ToArray(), Steps(step / 5).Where(m => !even.Any(M => Math.Abs(M - m) < step * 1e-6)).ToArray());
    }

    static Plot LearningCurve(CurveAnalysis a)
    {
        var p = new Plot();
        var pts = a.Predictions.ToArray();
        double lo = pts.Min(x => x.M) / 1.5, hi = Reach(a, pts.Max(x => x.M));
        var grid = Enumerable.Range(0, 120).Select(i => lo * Math.Pow(hi / lo, i / 119.0)).ToArray();
        var band = grid.Select(m => a.Band.At(m)).ToArray();
        var xs = grid.Select(Math.Log10).ToArray();

        // regions: shade from midpoint to midpoint (in log m) by each point's label
        var colours = new Dictionary<string, Color>
        {
            ["small-data"] = Colors.Gray.WithAlpha(0.18), ["power-law"] = Colors.SkyBlue.WithAlpha(0.15), ["irreducible"] = Colors.Orange.WithAlpha(0.2)
        };
        for (int i = 0; i < pts.Length; i++)
        {
            double l = i == 0 ? Math.Log10(lo) : (Math.Log10(pts[i - 1].M) + Math.Log10(pts[i].M)) / 2;
            double r = i == pts.Length - 1 ? Math.Log10(hi) : (Math.Log10(pts[i].M) + Math.Log10(pts[i + 1].M)) / 2;
            var span = p.Add.HorizontalSpan(l, r, colours.GetValueOrDefault(pts[i].Region, Colors.Transparent));
            span.LineWidth = 0;
        }
        var valid = band.Select((b, i) => (b, i)).Where(t => double.IsFinite(t.b.Lower) && t.b.Lower > 0 && t.b.Upper > 0).ToArray();
        if (valid.Length > 1)
        {
            var fill = p.Add.FillY(valid.Select(t => xs[t.i]).ToArray(), valid.Select(t => Math.Log10(t.b.Lower)).ToArray(), valid.Select(t => Math.Log10(t.b.Upper)).ToArray());
            fill.FillColor = Colors.SteelBlue.WithAlpha(0.25);
            fill.LegendText = "95% band";
        }
        var line = p.Add.Scatter(xs, band.Select(b => Math.Log10(b.Value)).ToArray(), Colors.SteelBlue);
        line.MarkerSize = 0; line.LineWidth = 2; line.LegendText = $"{a.Fit.Family.Name} fit";
        // ±1 standard deviation of each point's seeds (points that carry them)
        foreach (var o in a.Fit.Points.Where(o => o.Replicates.Count > 1))
        {
            var r = o.Replicates.ToList();
            double mean = r.Average(), sd = Lab.Stages.Core.Statistics.SampleStd(r);
            if (!(sd > 0) || mean - sd <= 0) continue;
            var bar = p.Add.Line(Math.Log10(o.M), Math.Log10(mean - sd), Math.Log10(o.M), Math.Log10(mean + sd));
            bar.Color = Colors.Black; bar.LineWidth = 1.5f;
        }
        var fitPts = pts.Where(x => x.Split == "fit").ToArray();
        var fitMarks = p.Add.Markers(fitPts.Select(x => Math.Log10(x.M)).ToArray(), fitPts.Select(x => Math.Log10(x.Observed)).ToArray(), MarkerShape.FilledCircle, 9, Colors.Black);
        fitMarks.LegendText = a.Fit.Points.Any(o => o.Replicates.Count > 1) ? "fitted points (mean ± sd of seeds)" : "fitted points";
        var held = pts.Where(x => x.Split == "holdout").ToArray();
        if (held.Length > 0)
        {
            var heldMarks = p.Add.Markers(held.Select(x => Math.Log10(x.M)).ToArray(), held.Select(x => Math.Log10(x.Observed)).ToArray(), MarkerShape.OpenCircle, 12, Colors.Red);
            heldMarks.LegendText = "held out";
        }
        var needs = a.Requirements.Filter(r => r.Reachable && r.Data.Value <= hi).ToArray();
        if (needs.Length > 0)
        {
            var marks = p.Add.Markers(needs.Select(r => Math.Log10(r.Data.Value)).ToArray(), needs.Select(r => Math.Log10(r.TargetError)).ToArray(),
                MarkerShape.Cross, 12, Colors.DarkOrange);
            marks.LegendText = "projected: data for " + string.Join(", ", needs.Select(r => r.Basis));
        }
        LogAxes(p, "training-set size m", "error");
        double expo = a.Fit.Family.Exponent(a.Fit.Theta);
        var betaText = a.Fit.Parameters.Find(e => e.Name == "beta").Match(
            e => $"β_g = {e.Value:F3} [{e.Lower:F3}, {e.Upper:F3}]", () => $"exponent {expo:F3}");
        p.Title($"{a.Curve} — {a.Fit.Family.Name}\n{betaText}" + (double.IsFinite(a.HoldoutError) ? $", held-out error {100 * a.HoldoutError:F1}%" : ""), 14);
        p.ShowLegend(Alignment.LowerLeft);
        return p;
    }

    /// <summary>The right end of the x axis: 4× the largest point, or further to show a projected target (up to 1000×).</summary>
    static double Reach(CurveAnalysis a, double largest)
        => 1.2 * Math.Max(4 * largest, a.Requirements.Filter(r => r.Reachable && double.IsFinite(r.Data.Value) && r.Data.Value <= 1000 * largest)
            .Map(r => r.Data.Value).DefaultIfEmpty(0).Max());

    static Plot ModelSize(CurveAnalysis a)
    {
        var p = new Plot();
        a.ModelSize.Match(s =>
        {
            var pts = s.Points.ToArray();
            double lo = pts.Min(x => x.M) / 1.5, hi = Reach(a, a.Predictions.Max(x => x.M));
            var grid = Enumerable.Range(0, 60).Select(i => lo * Math.Pow(hi / lo, i / 59.0)).ToArray();
            var line = p.Add.Scatter(grid.Select(Math.Log10).ToArray(), grid.Select(m => Math.Log10(s.Predict(m))).ToArray(), Colors.DarkGreen);
            line.MarkerSize = 0; line.LineWidth = 2; line.LegendText = "s(m) fit";
            var marks = p.Add.Markers(pts.Select(x => Math.Log10(x.M)).ToArray(), pts.Select(x => Math.Log10(x.Error)).ToArray(), MarkerShape.FilledSquare, 9, Colors.Black);
            marks.LegendText = "best model per size";
            var needs = a.Requirements.Filter(r => r.Reachable && r.Data.Value <= hi && r.Params.Exists(e => e.Value > 0)).ToArray();
            if (needs.Length > 0)
            {
                var proj = p.Add.Markers(needs.Select(r => Math.Log10(r.Data.Value)).ToArray(),
                    needs.Select(r => Math.Log10(r.Params.Map(e => e.Value).IfNone(double.NaN))).ToArray(), MarkerShape.Cross, 12, Colors.DarkOrange);
                proj.LegendText = "projected s(m) for " + string.Join(", ", needs.Select(r => r.Basis));
            }
            var b = s["beta"];
            p.Title($"best model size\nβ_p = {b.Value:F3} [{b.Lower:F3}, {b.Upper:F3}]{(a.ModelSizeNote.Length > 0 ? " (ladder resolution)" : "")}", 14);
            p.ShowLegend(Alignment.UpperLeft);
        }, () =>
        {
            p.Title($"best model size (not fitted)\n{a.ModelSizeError}", 12);
            if (a.SizePoints.Count > 0)
            {
                var pts = a.SizePoints.ToArray();
                p.Add.Markers(pts.Select(x => Math.Log10(x.M)).ToArray(), pts.Select(x => Math.Log10(x.Error)).ToArray(), MarkerShape.FilledSquare, 9, Colors.Black)
                    .LegendText = "best model per size";
                p.ShowLegend(Alignment.UpperLeft);
            }
        });
        LogAxes(p, "training-set size m", "parameters");
        return p;
    }
}
