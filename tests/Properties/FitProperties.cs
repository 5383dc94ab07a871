using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Lab.Fit;

namespace Lab.Tests;

public class FitProperties
{
    static (double Alpha, double Beta, double Gamma, double[] M) Draw(int seed, int points)
    {
        var rng = new Random(seed);
        double beta = -(0.05 + rng.NextDouble() * 0.95);
        double m0 = Math.Pow(10, 1 + rng.NextDouble() * 3);
        double alpha = Math.Pow(10, rng.NextDouble() * 2) * Math.Pow(m0, -beta);   // error at m0 is 1..100
        double gamma = rng.NextDouble() < 0.25 ? 0 : alpha * Math.Pow(m0 * Math.Pow(2, points - 1), beta) * (0.05 + rng.NextDouble() * 2);
        var m = Enumerable.Range(0, points).Select(k => m0 * Math.Pow(2, k)).ToArray();
        return (alpha, beta, gamma, m);
    }

    static bool Close(double a, double b, double rel) => Math.Abs(a - b) <= rel * Math.Max(Math.Abs(b), 1e-12);

    [Property(MaxTest = 60)]
    public Property Power_irreducible_recovers_noise_free_parameters(PositiveInt seed)
    {
        var (alpha, beta, gamma, m) = Draw(seed.Get, 12);
        var pts = m.Select(x => new Observation(x, alpha * Math.Pow(x, beta) + gamma)).ToArray();
        var fit = CurveFitter.Fit("synthetic", pts, new PowerLawIrreducible(), resamples: 0);
        return fit.Match(
            f => (Close(f["alpha"].Value, alpha, 1e-3) && Close(f["beta"].Value, beta, 1e-3)
                  && (gamma == 0 ? f["gamma"].Value <= 1e-6 * pts.Min(p => p.Error) : Close(f["gamma"].Value, gamma, 1e-3))
                  && pts.All(p => Close(f.Predict(p.M), p.Error, 1e-3)))
                 .Label($"true a={alpha} b={beta} g={gamma}; fit a={f["alpha"].Value} b={f["beta"].Value} g={f["gamma"].Value}"),
            e => false.Label(e.ToString()));
    }

    [Property(MaxTest = 40)]
    public bool Power_law_recovers_noise_free_parameters(PositiveInt seed)
    {
        var (alpha, beta, _, m) = Draw(seed.Get, 8);
        var fit = CurveFitter.Fit("p", m.Select(x => new Observation(x, alpha * Math.Pow(x, beta))), new PowerLaw(), resamples: 0);
        return fit.Match(f => Close(f["alpha"].Value, alpha, 1e-6) && Close(f["beta"].Value, beta, 1e-6), _ => false);
    }

    [Property(MaxTest = 30)]
    public Property Rescaling_m_leaves_the_exponent_unchanged(PositiveInt seed, PositiveInt scalePick)
    {
        var (alpha, beta, gamma, m) = Draw(seed.Get, 9);
        double scale = Math.Pow(10, (scalePick.Get % 7) - 3);
        var rng = new Random(seed.Get + 1);
        var errors = m.Select(x => (alpha * Math.Pow(x, beta) + gamma) * Math.Exp(0.03 * (rng.NextDouble() - 0.5))).ToArray();
        var a = CurveFitter.Fit("a", m.Zip(errors, (x, e) => new Observation(x, e)), new PowerLawIrreducible(), 0);
        var b = CurveFitter.Fit("b", m.Zip(errors, (x, e) => new Observation(x * scale, e)), new PowerLawIrreducible(), 0);
        return (from fa in a from fb in b select (fa["beta"].Value, fb["beta"].Value))
            .Match(p => Close(p.Item1, p.Item2, 1e-4).Label($"{p.Item1} vs {p.Item2} at scale {scale}"), e => false.Label(e.ToString()));
    }

    [Property(MaxTest = 30)]
    public bool Degenerate_curves_give_error_values(PositiveInt seed, byte kind)
    {
        var m = Enumerable.Range(0, 6).Select(k => 100.0 * Math.Pow(2, k)).ToList();
        var e = m.Select(x => 3 * Math.Pow(x, -0.3)).ToList();
        switch (kind % 5)
        {
            case 0: e[seed.Get % 6] = double.NaN; break;
            case 1: e[seed.Get % 6] = -1; break;
            case 2: m[1] = m[0]; break;
            case 3: e = e.Select(_ => 2.0).ToList(); break;
            default: m = m.Take(2).ToList(); e = e.Take(2).ToList(); break;
        }
        var fit = CurveFitter.Fit("bad", m.Zip(e, (x, y) => new Observation(x, y)), new PowerLawIrreducible(), 10);
        return fit.IsLeft && fit.Match(_ => "", err => err.ToString()).Contains("bad");
    }
}
