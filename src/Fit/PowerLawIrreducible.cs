using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.Optimization;

namespace Lab.Fit;

/// <summary>
/// Hestness et al.'s learning curve eps = alpha·m^beta + gamma: a power law falling to an irreducible error gamma.
/// Least squares on log error with the shared spacing weights and Huber loss (<see cref="RobustLoss"/>); beta is kept
/// negative and gamma in [0, <see cref="RobustLoss.FloorCap"/>) (below the smallest error); many starts from a
/// coarse (beta, gamma) grid, the best few polished by Levenberg–Marquardt (a warm start, as in bootstrap refits, is
/// polished alone). Sizes are centred on their geometric
/// mean inside the fit, so rescaling m changes alpha only.
/// </summary>
public sealed class PowerLawIrreducible : ICurveFamily
{
    static readonly double[] BetaGrid = [-0.02, -0.05, -0.1, -0.2, -0.3, -0.45, -0.7, -1.0, -1.5, -2.5];
    static readonly double[] GammaGrid = [0, 0.2, 0.4, 0.6, 0.75, 0.85, 0.92, 0.97, 0.99];

    /// <inheritdoc />
    public string Name => "power-irreducible";
    /// <inheritdoc />
    public IReadOnlyList<string> ParameterNames { get; } = ["alpha", "beta", "gamma"];
    /// <inheritdoc />
    public double Exponent(IReadOnlyList<double> theta) => theta[1];
    /// <inheritdoc />
    public double Floor(IReadOnlyList<double> theta) => theta[2];
    /// <inheritdoc />
    public double Predict(IReadOnlyList<double> theta, double m) => theta[0] * Math.Pow(m, theta[1]) + theta[2];

    /// <inheritdoc />
    public double? SizeFor(IReadOnlyList<double> theta, double target)
        => target > theta[2] ? Math.Pow((target - theta[2]) / theta[0], 1 / theta[1]) : null;

    /// <inheritdoc />
    public double[]? Fit(IReadOnlyList<Observation> points, double[]? start)
        => RobustLoss.Fit(points, start, (w, s) => Weighted(points, w, s), (t, m) => Math.Log(Predict(t, m)));

    static double[]? Weighted(IReadOnlyList<Observation> points, double[] w, double[]? start)
    {
        var lm = points.Select(p => Math.Log(p.M)).ToArray();
        double centre = lm.Average();
        var u = lm.Select(v => v - centre).ToArray();
        var y = points.Select(p => Math.Log(p.Error)).ToArray();
        double gammaMax = RobustLoss.FloorCap(points);

        // internal parameters q = (A, beta, gamma) with eps = exp(A + beta·u) + gamma
        var starts = new List<(double Sse, double[] Q)>();
        void Consider(double beta, double gamma)
        {
            double a = 0, n = 0;
            for (int i = 0; i < u.Length; i++) { a += w[i] * (Math.Log(points[i].Error - gamma) - beta * u[i]); n += w[i]; }
            var q = new[] { a / n, beta, gamma };
            starts.Add((Sse(q, u, y, w), q));
        }
        // a warm start (bootstrap refits, Huber rounds) is polished alone; otherwise the coarse grid supplies the starts
        if (start is not null && start[0] > 0 && start[1] < 0 && start[2] >= 0 && start[2] < gammaMax)
        {
            var q = new[] { Math.Log(start[0]) + start[1] * centre, start[1], start[2] };
            starts.Add((Sse(q, u, y, w), q));
        }
        else foreach (var b in BetaGrid) foreach (var g in GammaGrid) Consider(b, g * gammaMax);
        double[]? best = null; double bestSse = double.PositiveInfinity;
        var lower = Vector<double>.Build.DenseOfArray([-200, -20, 0]);
        var upper = Vector<double>.Build.DenseOfArray([200, -1e-9, gammaMax]);
        var model = ObjectiveFunction.NonlinearModel(
            (q, x) => Vector<double>.Build.Dense(x.Count, i => Math.Log(Math.Exp(q[0] + q[1] * x[i]) + q[2])),
            (q, x) => Matrix<double>.Build.Dense(x.Count, 3, (i, j) =>
            {
                double p = Math.Exp(q[0] + q[1] * x[i]), s = p + q[2];
                return j switch { 0 => p / s, 1 => x[i] * p / s, _ => 1 / s };
            }),
            Vector<double>.Build.DenseOfArray(u), Vector<double>.Build.DenseOfArray(y), Vector<double>.Build.DenseOfArray(w));
        var solver = new LevenbergMarquardtMinimizer(1e-3, 1e-15, 1e-15, 1e-18, 400);
        foreach (var (_, q0) in starts.OrderBy(s => s.Sse).Take(4))
        {
            double[] q;
            try
            {
                var init = Vector<double>.Build.DenseOfArray([q0[0], Math.Min(q0[1], -1e-6), Math.Clamp(q0[2], 0, gammaMax * (1 - 1e-6))]);
                q = solver.FindMinimum(model, init, lower, upper).MinimizingPoint.ToArray();
            }
            catch (Exception) { q = q0; } // a start the optimiser cannot move from still counts as a candidate
            double sse = Sse(q, u, y, w);
            if (sse < bestSse && double.IsFinite(sse)) { bestSse = sse; best = q; }
        }
        return best is null ? null : [Math.Exp(best[0] - best[1] * centre), best[1], best[2]];
    }

    static double Sse(double[] q, double[] u, double[] y, double[] w)
    {
        double s = 0;
        for (int i = 0; i < u.Length; i++)
        {
            double r = Math.Log(Math.Exp(q[0] + q[1] * u[i]) + q[2]) - y[i];
            s += w[i] * r * r;
        }
        return double.IsFinite(s) ? s : double.PositiveInfinity;
    }
}
