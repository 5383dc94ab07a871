using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.Optimization;

namespace Lab.Fit;

/// <summary>
/// Broken power law with one break (Caballero et al. 2022, "Broken Neural Scaling Laws"):
/// eps = a + b·m^(−c0)·(1 + (m/d)^(1/f))^(−c1·f). Below the break d the slope is −c0, above it −(c0 + c1); f sets how
/// sharp the break is. With c0 ≈ 0 it describes the small-data plateau before the power law. Fitted on log error with
/// the shared spacing weights and Huber loss (<see cref="RobustLoss"/>), a ≥ 0 below the smallest error
/// (<see cref="RobustLoss.FloorCap"/>), both slopes non-positive (c0 ≥ 0 and c0 + c1 ≥ 0, so the fitted curve never rises:
/// its log-log slope moves between −c0 and −(c0 + c1)), the break within two e-folds of the data, and many starts
/// polished by Levenberg–Marquardt.
/// </summary>
public sealed class BrokenPowerLaw : ICurveFamily
{
    /// <inheritdoc />
    public string Name => "broken";
    /// <inheritdoc />
    public IReadOnlyList<string> ParameterNames { get; } = ["a", "b", "c0", "c1", "d", "f"];

    static double Softplus(double s) => s > 30 ? s : s < -30 ? Math.Exp(s) : Math.Log(1 + Math.Exp(s));
    static double Sigmoid(double s) => 1 / (1 + Math.Exp(-s));

    /// <inheritdoc />
    public double Exponent(IReadOnlyList<double> theta) => -(theta[2] + theta[3]);
    /// <inheritdoc />
    public double Floor(IReadOnlyList<double> theta) => theta[0];
    /// <inheritdoc />
    public double Predict(IReadOnlyList<double> t, double m)
    {
        double lm = Math.Log(m), f = t[5];
        return t[0] + Math.Exp(Math.Log(t[1]) - t[2] * lm - t[3] * f * Softplus((lm - Math.Log(t[4])) / f));
    }

    /// <inheritdoc />
    public double? SizeFor(IReadOnlyList<double> t, double target)
    {
        if (target <= t[0]) return null;
        // first crossing on a log grid up to 1e18, then bisection on log m
        double lo = Math.Log(1e-3), step = 0.25, prev = lo;
        if (Predict(t, Math.Exp(lo)) <= target) return Math.Exp(lo);
        for (double x = lo + step; x <= Math.Log(1e18); x += step)
        {
            if (Predict(t, Math.Exp(x)) <= target)
            {
                double a = prev, b = x;
                for (int i = 0; i < 60; i++) { double c = (a + b) / 2; if (Predict(t, Math.Exp(c)) <= target) b = c; else a = c; }
                return Math.Exp(b);
            }
            prev = x;
        }
        return null;
    }

    // internal q = (a, B, c0, S, D, F) with S = c0 + c1 (the slope after the break, kept ≥ 0):
    // ln eps = ln(a + exp(B − c0·u − (S − c0)·f·softplus((u − D)/f))), f = e^F, u = ln m − centre
    static double Model(double[] q, double u, out double t, out double s)
    {
        double f = Math.Exp(q[5]);
        s = (u - q[4]) / f;
        t = Math.Exp(q[1] - q[2] * u - (q[3] - q[2]) * f * Softplus(s));
        return Math.Log(q[0] + t);
    }

    /// <inheritdoc />
    public double[]? Fit(IReadOnlyList<Observation> points, double[]? start)
        => RobustLoss.Fit(points, start, (w, s) => Weighted(points, w, s), (t, m) => Math.Log(Predict(t, m)));

    static double[]? Weighted(IReadOnlyList<Observation> points, double[] w, double[]? start)
    {
        var lm = points.Select(p => Math.Log(p.M)).ToArray();
        double centre = lm.Average();
        var u = lm.Select(v => v - centre).ToArray();
        var y = points.Select(p => Math.Log(p.Error)).ToArray();
        double minErr = points.Min(p => p.Error), aMax = RobustLoss.FloorCap(points);
        double uLo = u.Min(), uHi = u.Max();
        var lower = Vector<double>.Build.DenseOfArray([0, -200, 0, 0, uLo - 2, Math.Log(0.05)]);
        var upper = Vector<double>.Build.DenseOfArray([aMax, 200, 10, 10, uHi + 2, Math.Log(20)]);

        double Sse(double[] q)
        {
            double acc = 0;
            for (int i = 0; i < u.Length; i++) { double r = Model(q, u[i], out _, out _) - y[i]; acc += w[i] * r * r; }
            return double.IsFinite(acc) ? acc : double.PositiveInfinity;
        }
        double[] WithB(double a, double c0, double c1, double d, double logF)
        {
            var q = new[] { a, 0, c0, Math.Max(0, c0 + c1), d, logF };
            double acc = 0;
            for (int i = 0; i < u.Length; i++)
            {
                Model(q, u[i], out var t, out _);                  // t with B = 0
                acc += w[i] * (Math.Log(Math.Max(points[i].Error - a, 1e-300)) - Math.Log(t));
            }
            q[1] = acc / w.Sum();
            return q;
        }
        var starts = new List<(double Sse, double[] Q)>();
        // a warm start (bootstrap refits) is polished alone; otherwise a coarse grid supplies the starts
        if (start is not null && start.Length == 6 && start.All(double.IsFinite) && start[0] >= 0 && start[0] < aMax && start[1] > 0 && start[4] > 0 && start[5] > 0)
        {
            var q = new[] { start[0], Math.Log(start[1]) - start[2] * centre, start[2], start[2] + start[3], Math.Log(start[4]) - centre, Math.Log(start[5]) };
            if (q[3] >= 0 && q[4] >= uLo - 2 && q[4] <= uHi + 2 && q[5] >= Math.Log(0.05) && q[5] <= Math.Log(20)) starts.Add((Sse(q), q));
        }
        if (starts.Count == 0)
            foreach (var aFrac in new[] { 0.0, 0.5, 0.9 })
                foreach (var c0 in new[] { 0.0, 0.15, 0.5 })
                    foreach (var c1 in new[] { -0.3, 0.2, 0.6, 1.5 })
                        foreach (var dq in new[] { 0.2, 0.4, 0.6, 0.8 })
                            foreach (var logF in new[] { Math.Log(0.3), Math.Log(1.5) })
                            {
                                var q = WithB(aFrac * aMax, c0, c1, uLo + dq * (uHi - uLo), logF);
                                starts.Add((Sse(q), q));
                            }

        var model = ObjectiveFunction.NonlinearModel(
            (q, x) => { var qa = q.ToArray(); return Vector<double>.Build.Dense(x.Count, i => Model(qa, x[i], out _, out _)); },
            (q, x) => Jacobian(q.ToArray(), x),
            Vector<double>.Build.DenseOfArray(u), Vector<double>.Build.DenseOfArray(y), Vector<double>.Build.DenseOfArray(w));
        var solver = new LevenbergMarquardtMinimizer(1e-3, 1e-13, 1e-13, 1e-16, 300);
        double[]? best = null; double bestSse = double.PositiveInfinity;
        foreach (var (_, q0) in starts.OrderBy(s => s.Sse).Take(6))
        {
            double[] q;
            try
            {
                var init = q0.Select((v, i) => Math.Clamp(v, lower[i] + 1e-9 * (1 + Math.Abs(lower[i])), upper[i] - 1e-9 * (1 + Math.Abs(upper[i])))).ToArray();
                q = solver.FindMinimum(model, Vector<double>.Build.DenseOfArray(init), lower, upper).MinimizingPoint.ToArray();
            }
            catch (Exception) { q = q0; }
            double sse = Sse(q);
            if (sse < bestSse) { bestSse = sse; best = q; }
        }
        if (best is null) return null;
        return [best[0], Math.Exp(best[1] + best[2] * centre), best[2], best[3] - best[2], Math.Exp(best[4] + centre), Math.Exp(best[5])];
    }

    static Matrix<double> Jacobian(double[] q, Vector<double> x)
    {
        var jac = Matrix<double>.Build.Dense(x.Count, 6);
        double f = Math.Exp(q[5]);
        for (int i = 0; i < x.Count; i++)
        {
            double u = x[i];
            Model(q, u, out var t, out var s);
            double yv = q[0] + t, w = t / yv, sp = Softplus(s), sg = Sigmoid(s), c1 = q[3] - q[2];
            jac[i, 0] = 1 / yv;
            jac[i, 1] = w;
            jac[i, 2] = (-u + f * sp) * w;
            jac[i, 3] = -f * sp * w;
            jac[i, 4] = c1 * sg * w;
            jac[i, 5] = -c1 * (sp - s * sg) * f * w;
        }
        return jac;
    }
}
