using LanguageExt;
using static LanguageExt.Prelude;

namespace Lab.Fit;

/// <summary>
/// What reaching a target error takes, from a study's fits: the training-set size m* where the learning curve reaches it,
/// the best-fit model size s(m*) there, and the training compute there (FLOPs of one training run of that model, from a
/// power law fitted to the measured FLOPs of each point's best-fit trials; hours at the study's measured FLOP/s). m*
/// and its 95 % interval come from the learning curve's prediction band (<see cref="PredictionBand"/>: bootstrap,
/// extrapolation drift, tied families), s(m*) and the compute carry that interval through their own fits (the hull of
/// their bootstrap intervals over m*'s interval).
/// </summary>
/// <param name="Curve">The learning curve.</param>
/// <param name="Basis">Why this target: "target" (given by the user) or "2x data" / "4x data" (the curve's own
/// prediction at twice and four times the largest measured size).</param>
/// <param name="TargetError">The error to reach.</param>
/// <param name="Reachable">False when the target is at or below the fitted floor (the other values are then NaN).</param>
/// <param name="Data">m*, in the curve's unit.</param>
/// <param name="Params">s(m*), or None without a model-size fit.</param>
/// <param name="Flops">Training FLOPs at m*, or None without measured FLOPs.</param>
/// <param name="Hours">Flops divided by the measured FLOP/s, in hours, or None.</param>
public sealed record Requirement(string Curve, string Basis, double TargetError, bool Reachable, Estimate Data,
    Option<Estimate> Params, Option<Estimate> Flops, Option<Estimate> Hours)
{
    /// <summary>The requirement of one target error.</summary>
    /// <param name="band">The learning curve's prediction band: m* is where its predicted error reaches the target, and
    /// its interval where the band's edges do (the bootstrap, the backtests' drift beyond the data and the tied
    /// families: the same uncertainty as the projections).</param>
    /// <param name="size">s(m) = alpha·m^beta_p, when fitted.</param>
    /// <param name="compute">Training FLOPs as a power law of m, when fitted.</param>
    /// <param name="flopsPerSecond">Measured training throughput (NaN when unknown).</param>
    public static Requirement For(PredictionBand band, Option<CurveFit> size, Option<CurveFit> compute, double flopsPerSecond,
        double target, string basis)
    {
        var m = band.SizeFor(target);
        bool reachable = m.Reachable && double.IsFinite(m.Value);
        var data = new Estimate("data", reachable ? m.Value : double.NaN, reachable ? m.Lower : double.NaN, reachable ? m.Upper : double.NaN);
        // s(m*) and the compute: the fit's value at m*, and the hull of its bootstrap intervals over m*'s interval
        // (both fits are monotone in m, so the ends of m*'s interval bound them); an open end stays open
        Option<Estimate> Through(Option<CurveFit> fit, string name, double scale)
            => fit.Map(f =>
            {
                if (!reachable) return new Estimate(name, double.NaN, double.NaN, double.NaN);
                if (!double.IsFinite(data.Lower)) return new Estimate(name, scale * f.Predict(data.Value), double.NaN, double.NaN);
                var at = new[] { data.Lower, data.Value }.Concat(double.IsFinite(data.Upper) ? [data.Upper] : []).Select(x => Projection.ErrorAt(f, x)).ToList();
                double lo = at.Min(p => Math.Min(p.Lower, p.Value)), hi = at.Max(p => Math.Max(p.Upper, p.Value));
                bool open = !double.IsFinite(data.Upper) && f.Family.Exponent(f.Theta) > 0;
                return new Estimate(name, scale * f.Predict(data.Value), scale * lo, open ? double.PositiveInfinity : scale * hi);
            });
        double hourScale = double.IsFinite(flopsPerSecond) && flopsPerSecond > 0 ? 1 / (3600 * flopsPerSecond) : double.NaN;
        return new Requirement(band.Fit.Curve, basis, target, reachable, data, Through(size, "params", 1), Through(compute, "flops", 1),
            double.IsFinite(hourScale) ? Through(compute, "hours", hourScale) : Option<Estimate>.None);
    }

    /// <summary>The targets of a study: the user's (when given), then the predicted errors at 2× and 4× the largest size.</summary>
    public static Seq<(double Target, string Basis)> Targets(PredictionBand band, double largest, double? target)
        => (target is double t ? Seq1((t, "target")) : Seq<(double, string)>())
           + Seq<(double, string)>((band.At(2 * largest).Value, "2x data"), (band.At(4 * largest).Value, "4x data"));
}
