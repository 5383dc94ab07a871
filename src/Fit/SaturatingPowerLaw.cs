using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.Optimization;

namespace Lab.Fit;

/// <summary>
/// The saturating learning curve of Alabdulmohsin, Neyshabur and Zhai (2022, "Revisiting Neural Scaling Laws in
/// Language and Vision", their estimator M4): (eps − eps_inf) / (eps_0 − eps)^alpha = beta·m^c. Between a plateau at
/// small data (eps_0, the error of a model that has learnt nothing) and a floor (eps_inf) the excess error falls as a
/// power law; alpha sets how the curve leaves the plateau (alpha = 0 is Hestness et al.'s power law + floor, alpha = 1 a
/// logistic curve in log m). It extrapolates curves that are still bending out of their plateau, where a power law fitted
/// to the bend predicts too steep a fall.
/// <para>Fitted like the other families (<see cref="RobustLoss"/>: least squares on log error with spacing weights and a
/// Huber loss; eps_inf in [0, <see cref="RobustLoss.FloorCap"/>), eps_0 above the largest error less two noise sds, <see cref="RobustLoss.PlateauFloor"/>): starts from a grid of
/// (eps_inf, eps_0), each solved for (beta, c, alpha) by the published linearisation
/// ln(eps − eps_inf) = ln beta + c·ln m + alpha·ln(eps_0 − eps), the best polished by Levenberg–Marquardt on the
/// prediction itself (an implicit function of m: eps = eps_inf + w with w = beta·m^c·(eps_0 − eps_inf − w)^alpha, solved by
/// a safeguarded Newton iteration; derivatives by implicit differentiation).</para>
/// </summary>
public sealed class SaturatingPowerLaw : ICurveFamily
{
    /// <summary>Below this alpha the curve is the power law + floor (as in the published estimator).</summary>
    const double AlphaZero = 1e-5;
    const double AlphaMax = 20;
    static readonly double[] FloorGrid = [0, 0.3, 0.6, 0.8, 0.9, 0.97];
    static readonly double[] TopGrid = [1.002, 1.02, 1.1, 1.3, 2, 4, 16];
    static readonly double[] AlphaGrid = [0, 0.3, 1, 3];

    /// <inheritdoc />
    public string Name => "saturating";
    /// <inheritdoc />
    public IReadOnlyList<string> ParameterNames { get; } = ["beta", "c", "alpha", "err_inf", "err_0"];
    /// <inheritdoc />
    public double Exponent(IReadOnlyList<double> theta) => theta[1];
    /// <inheritdoc />
    public double Floor(IReadOnlyList<double> theta) => theta[3];

    /// <inheritdoc />
    public double Predict(IReadOnlyList<double> t, double m) => t[3] + Excess(Math.Log(t[0]) + t[1] * Math.Log(m), t[2], t[4] - t[3]);

    /// <summary>w with ln w = lf + alpha·ln(b − w), 0 &lt; w &lt; b (alpha 0: w = e^lf).</summary>
    static double Excess(double lf, double alpha, double b)
    {
        if (alpha < AlphaZero) return Math.Exp(lf);
        if (!(b > 0)) return double.NaN;
        double lb = Math.Log(b);
        // g(t) = t − lf − alpha·ln(b − e^t), increasing in t = ln w from −∞ to +∞ on (−∞, ln b)
        double G(double t) => t - lf - alpha * Math.Log(b - Math.Exp(t));
        double lo = Math.Min(lf + alpha * lb, lb) - 60, hi = lb;
        if (G(lo) >= 0) return Math.Exp(lo);
        double x = Math.Min(lf + alpha * lb, lb - 1e-12);
        if (x <= lo) x = (lo + hi) / 2;
        for (int i = 0; i < 100; i++)
        {
            double g = G(x);
            if (!double.IsFinite(g) || g > 0) hi = x; else lo = x;
            if (Math.Abs(g) < 1e-13 || hi - lo < 1e-13) break;
            double ew = Math.Exp(x), d = 1 + alpha * ew / (b - ew);
            double next = x - g / d;
            x = double.IsFinite(next) && next > lo && next < hi ? next : (lo + hi) / 2;
        }
        return Math.Exp(x);
    }

    /// <inheritdoc />
    public double? SizeFor(IReadOnlyList<double> t, double target)
    {
        if (!(target > t[3]) || (t[2] >= AlphaZero && !(target < t[4]))) return null;
        double g = (target - t[3]) / (t[2] >= AlphaZero ? Math.Pow(t[4] - target, t[2]) : 1);
        return Math.Pow(g / t[0], 1 / t[1]);
    }

    /// <inheritdoc />
    public double[]? Fit(IReadOnlyList<Observation> points, double[]? start)
        => RobustLoss.Fit(points, start, (w, s) => Weighted(points, w, s), (t, m) => Math.Log(Predict(t, m)));

    // internal q = (B, c, alpha, eps_inf, eps_0) with ln(beta·m^c) = B + c·u, u = ln m − centre
    static double[]? Weighted(IReadOnlyList<Observation> points, double[] w, double[]? start)
    {
        int n = points.Count;
        var lm = points.Select(p => Math.Log(p.M)).ToArray();
        double centre = lm.Average();
        var u = lm.Select(v => v - centre).ToArray();
        var e = points.Select(p => p.Error).ToArray();
        var y = e.Select(v => Math.Log(v)).ToArray();
        // the plateau may lie under the largest error by the noise margin (a point on the plateau reads above it as often as below)
        double floorCap = RobustLoss.FloorCap(points), top = Math.Max(RobustLoss.PlateauFloor(points), floorCap * 1.001), topMax = e.Max() * 1e4;

        var starts = new List<(double Sse, double[] Q)>();
        if (start is not null && start.Length == 5 && start[0] > 0 && start[1] < 0 && start[2] >= 0 && start[3] >= 0 && start[3] < floorCap && start[4] >= top)
        {
            var q = new[] { Math.Log(start[0]) + start[1] * centre, start[1], start[2], start[3], start[4] };
            starts.Add((Sse(q, u, y, w), q));
        }
        else
            foreach (var fl in FloorGrid)
                foreach (var tp in TopGrid)
                    foreach (var q in Linearised(u, e, w, fl * floorCap, e.Max() * tp)) starts.Add((Sse(q, u, y, w), q));
        if (starts.Count == 0) return null;

        var lower = Vector<double>.Build.DenseOfArray([-200, -20, 0, 0, top]);
        var upper = Vector<double>.Build.DenseOfArray([200, -1e-9, AlphaMax, floorCap * (1 - 1e-9), topMax]);
        var model = ObjectiveFunction.NonlinearModel(
            (q, x) => Vector<double>.Build.Dense(x.Count, i => Math.Log(q[3] + Excess(q[0] + q[1] * x[i], q[2], q[4] - q[3]))),
            (q, x) =>
            {
                var jac = Matrix<double>.Build.Dense(x.Count, 5);
                for (int i = 0; i < x.Count; i++) Jacobian(q, x[i], jac, i);
                return jac;
            },
            Vector<double>.Build.DenseOfArray(u), Vector<double>.Build.DenseOfArray(y), Vector<double>.Build.DenseOfArray(w));
        // a warm start (bootstrap refits, Huber rounds) is near its minimum: fewer iterations (a parameter resting on a bound,
        // as alpha = 0 on a curve without a plateau, slows the bounded iteration without moving the fit)
        var solver = new LevenbergMarquardtMinimizer(1e-3, 1e-13, 1e-13, 1e-16, start is null ? 300 : 60);
        double[]? best = null; double bestSse = double.PositiveInfinity;
        // the three best distinct starts (at alpha 0 the plateau plays no part: starts differing only there are one start).
        // On the noise-free property's curves, three copies of one alpha-0 start missed 28 of 5,000 by 2.5 % to 86×; distinct
        // starts alone, or the held alphas alone, reproduce all 5,000
        foreach (var (_, q0) in starts.Where(s => double.IsFinite(s.Sse)).OrderBy(s => s.Sse)
                     .DistinctBy(s => (s.Q[0], s.Q[1], s.Q[2], s.Q[3], s.Q[2] < AlphaZero ? 0 : s.Q[4])).Take(3))
        {
            double[] q;
            try
            {
                var init = Vector<double>.Build.DenseOfArray(q0.Select((v, j) => Math.Clamp(v, lower[j], upper[j])).ToArray());
                q = solver.FindMinimum(model, init, lower, upper).MinimizingPoint.ToArray();
            }
            catch (Exception) { q = q0; }   // a start the optimiser cannot move from still counts as a candidate
            double sse = Sse(q, u, y, w);
            if (sse < bestSse && double.IsFinite(sse)) { bestSse = sse; best = q; }
        }
        return best is null ? null : [Math.Exp(best[0] - best[1] * centre), best[1], best[2], best[3], best[4]];
    }

    /// <summary>Starts for a given floor and plateau by weighted least squares on the linearised curve
    /// ln(eps − floor) = B + c·u + alpha·ln(plateau − eps), as internal parameters: alpha free (when that gives c &lt; 0 and
    /// alpha ≥ 0) and alpha held at each value of <see cref="AlphaGrid"/>. Held values matter: with the floor and plateau
    /// off the truth, the free solve often gives alpha &lt; 0, and a start at alpha = 0 never leaves it (the bounded solver
    /// maps each parameter through a sine, flat on its bound). None when the floor or plateau leaves no room for a point.</summary>
    static IEnumerable<double[]> Linearised(double[] u, double[] e, double[] w, double floor, double plateau)
    {
        int n = u.Length;
        var z = new double[n]; var v = new double[n];
        for (int i = 0; i < n; i++)
        {
            if (!(e[i] > floor) || !(plateau > e[i])) yield break;
            z[i] = Math.Log(e[i] - floor); v[i] = Math.Log(plateau - e[i]);
        }
        // alpha null: free; otherwise held (its term moved to the left-hand side)
        double[]? Solve(double? alpha)
        {
            int k = alpha is null ? 3 : 2;
            var a = Matrix<double>.Build.Dense(k, k); var r = Vector<double>.Build.Dense(k);
            for (int i = 0; i < n; i++)
            {
                double[] row = alpha is null ? [1, u[i], v[i]] : [1, u[i]];
                double lhs = z[i] - (alpha ?? 0) * v[i];
                for (int p = 0; p < k; p++) { r[p] += w[i] * row[p] * lhs; for (int q = 0; q < k; q++) a[p, q] += w[i] * row[p] * row[q]; }
            }
            try { var s = a.Solve(r); return s.All(double.IsFinite) ? s.ToArray() : null; } catch (Exception) { return null; }
        }
        if (Solve(null) is { } s3 && s3[2] >= 0 && s3[1] < 0) yield return [s3[0], s3[1], s3[2], floor, plateau];
        foreach (var alpha in AlphaGrid)
            if (Solve(alpha) is { } s2) yield return [s2[0], Math.Min(s2[1], -1e-6), alpha, floor, plateau];
    }

    /// <summary>Row i of ∂ ln eps / ∂ q at u, by implicit differentiation of ln w = f + alpha·ln(b − w) (one solve for w).</summary>
    static void Jacobian(Vector<double> q, double u, Matrix<double> jac, int i)
    {
        double b = q[4] - q[3], alpha = q[2];
        double wv = Excess(q[0] + q[1] * u, alpha, b), eps = q[3] + wv, rest = Math.Max(b - wv, 1e-300);
        if (alpha < AlphaZero)
        {
            jac[i, 0] = wv / eps; jac[i, 1] = u * wv / eps; jac[i, 2] = wv * Math.Log(rest) / eps; jac[i, 3] = 1 / eps; jac[i, 4] = 0;
            return;
        }
        double d = 1 / wv + alpha / rest;
        jac[i, 0] = 1 / d / eps;
        jac[i, 1] = u / d / eps;
        jac[i, 2] = Math.Log(rest) / d / eps;
        jac[i, 3] = (1 - alpha / rest / d) / eps;
        jac[i, 4] = alpha / rest / d / eps;
    }

    static double Sse(double[] q, double[] u, double[] y, double[] w)
    {
        double s = 0;
        for (int i = 0; i < u.Length; i++)
        {
            double r = Math.Log(q[3] + Excess(q[0] + q[1] * u[i], q[2], q[4] - q[3])) - y[i];
            s += w[i] * r * r;
        }
        return double.IsFinite(s) ? s : double.PositiveInfinity;
    }
}
