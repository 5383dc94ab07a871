using LanguageExt;
using static LanguageExt.Prelude;

namespace Lab.Fit;

/// <summary>
/// What reaching a target error takes, from a study's fits: the training-set size m* where the learning curve reaches it,
/// the best-fit model size s(m*) there, and the training compute there (FLOPs of one training run of that model, from a
/// power law fitted to the measured FLOPs of each point's best-fit trials; hours at the study's measured FLOP/s). Each
/// value carries a 95 % bootstrap interval; the bootstraps of the three fits are paired by resample number (the same
/// point positions were drawn for each when the fits have the same points, as a study's do), so an interval carries the
/// curve's uncertainty into s(m*) and the compute.
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
    /// <param name="curve">The chosen learning-curve fit.</param>
    /// <param name="size">s(m) = alpha·m^beta_p, when fitted.</param>
    /// <param name="compute">Training FLOPs as a power law of m, when fitted.</param>
    /// <param name="flopsPerSecond">Measured training throughput (NaN when unknown).</param>
    public static Requirement For(CurveFit curve, Option<CurveFit> size, Option<CurveFit> compute, double flopsPerSecond,
        double target, string basis)
    {
        var m = curve.Family.SizeFor(curve.Theta, target);
        // per resample: m*_b from the curve's refit, then s and FLOPs from the same-numbered refits of the other fits
        var mBoot = curve.Bootstrap.ToDictionary(b => b.Resample, b => curve.Family.SizeFor(b.Theta, target));
        Estimate Interval(string name, double value, Func<int, double?, double?> at, int total)
        {
            var draws = mBoot.Select(kv => at(kv.Key, kv.Value)).Where(v => v.HasValue && double.IsFinite(v.Value))
                .Select(v => v!.Value).ToArray();
            // too few refits: no interval; unreachable resamples count as +infinity, so the upper bound is open when more
            // than 2.5 % of them miss
            if (draws.Length < 20) return new Estimate(name, value, double.NaN, double.NaN);
            return new Estimate(name, value, CurveFitter.Quantile(draws, 0.025),
                draws.Length >= total * 0.975 ? CurveFitter.Quantile(draws, 0.975) : double.PositiveInfinity);
        }
        Option<Estimate> Through(Option<CurveFit> fit, string name, double scale)
            => fit.Map(f =>
            {
                var byResample = f.Bootstrap.ToDictionary(b => b.Resample, b => b.Theta);
                double value = m is double mv ? scale * f.Predict(mv) : double.NaN;
                return Interval(name, value, (r, mb) => mb is double x && byResample.TryGetValue(r, out var th)
                    ? scale * f.Family.Predict(th, x) : null, Math.Min(mBoot.Count, byResample.Count));
            });

        var data = Interval("data", m ?? double.NaN, (_, mb) => mb, mBoot.Count);
        double hourScale = double.IsFinite(flopsPerSecond) && flopsPerSecond > 0 ? 1 / (3600 * flopsPerSecond) : double.NaN;
        return new Requirement(curve.Curve, basis, target, m.HasValue, data, Through(size, "params", 1), Through(compute, "flops", 1),
            double.IsFinite(hourScale) ? Through(compute, "hours", hourScale) : Option<Estimate>.None);
    }

    /// <summary>The targets of a study: the user's (when given), then the curve's predictions at 2× and 4× the largest size.</summary>
    public static Seq<(double Target, string Basis)> Targets(CurveFit curve, double largest, double? target)
        => (target is double t ? Seq1((t, "target")) : Seq<(double, string)>())
           + Seq((curve.Predict(2 * largest), "2x data"), (curve.Predict(4 * largest), "4x data"));
}
