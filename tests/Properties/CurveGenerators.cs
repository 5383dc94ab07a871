using FsCheck;
using FsCheck.Fluent;
using Lab.Fit;

namespace Lab.Tests;

/// <summary>A learning curve with known parameters, eps(m) = Alpha·m^Beta + Gamma at Points doubling sizes from M0, each
/// observed with multiplicative noise exp(Noise·shock) (shocks uniform with unit standard deviation).</summary>
public sealed record TrueCurve(double Alpha, double Beta, double Gamma, double M0, double Noise, double[] Shocks)
{
    /// <summary>How many sizes.</summary>
    public int Points => Shocks.Length;
    /// <summary>The sizes, doubling from M0.</summary>
    public double[] Sizes => Enumerable.Range(0, Points).Select(k => M0 * Math.Pow(2, k)).ToArray();
    /// <summary>The true error at m.</summary>
    public double Eps(double m) => Alpha * Math.Pow(m, Beta) + Gamma;
    /// <summary>The observed points.</summary>
    public Observation[] Observed => Sizes.Zip(Shocks, (m, s) => new Observation(m, Eps(m) * Math.Exp(Noise * s))).ToArray();
    /// <inheritdoc />
    public override string ToString() =>
        $"eps = {Alpha:G6}·m^{Beta:G4} + {Gamma:G4}, {Points} sizes from {M0:G4}, noise {Noise} (shocks {string.Join(" ", Shocks.Select(s => s.ToString("F2")))})";
}

/// <summary>A noise-free curve (every shock 0).</summary>
public sealed record NoiseFreeCurve(TrueCurve Curve) { public override string ToString() => Curve.ToString(); }

/// <summary>A curve observed with 1–5 % noise.</summary>
public sealed record NoisyCurve(TrueCurve Curve) { public override string ToString() => Curve.ToString(); }

/// <summary>FsCheck generators and shrinkers of learning curves: parameters, sizes and noise are drawn by FsCheck (so a
/// failure shrinks to a small curve: fewer sizes, no floor, less noise, rounder exponent), not by a seeded Random.</summary>
public static class CurveArbitraries
{
    /// <summary>The parameters: exponent −0.05 … −1, first error 1 … 100 at m0 = 10 … 10⁴, a floor of 0 (a quarter of
    /// the time) up to twice the reducible error at the largest size, 6 to 12 sizes.</summary>
    public static Gen<TrueCurve> Curves(Gen<double> noise, bool shocks) =>
        from beta in Gen.Choose(5, 100).Select(k => -k / 100.0)
        from logM0 in Gen.Choose(10, 40).Select(k => k / 10.0)
        from logFirst in Gen.Choose(0, 20).Select(k => k / 10.0)
        from floorShare in Gen.Frequency((1, Gen.Constant(0.0)), (3, Gen.Choose(5, 200).Select(k => k / 100.0)))
        from points in Gen.Choose(6, 12)
        from sigma in noise
        from raw in Gen.ArrayOf(Gen.Choose(-1000, 1000), points)
        let m0 = Math.Pow(10, logM0)
        let alpha = Math.Pow(10, logFirst) * Math.Pow(m0, -beta)
        let gamma = floorShare * alpha * Math.Pow(m0 * Math.Pow(2, points - 1), beta)
        select new TrueCurve(alpha, beta, gamma, m0, sigma, raw.Select(r => shocks ? Math.Sqrt(3) * r / 1000.0 : 0.0).ToArray());

    static IEnumerable<TrueCurve> Shrink(TrueCurve c)
    {
        if (c.Points > 6) yield return c with { Shocks = c.Shocks[..^1] };
        if (c.Gamma > 0) yield return c with { Gamma = 0 };
        if (c.Noise > 0.01) yield return c with { Noise = 0.01 };
        if (c.Shocks.Any(s => s != 0)) yield return c with { Shocks = c.Shocks.Select(s => Math.Round(s / 2, 2)).ToArray() };
        if (c.Beta != -0.5) yield return c with { Beta = -0.5, Alpha = c.Eps(c.M0) * Math.Pow(c.M0, 0.5) - c.Gamma * Math.Pow(c.M0, 0.5) };
    }

    /// <summary>Noise-free curves.</summary>
    public static Arbitrary<NoiseFreeCurve> NoiseFree()
        => Arb.From(Curves(Gen.Constant(0.0), false).Select(c => new NoiseFreeCurve(c)), n => Shrink(n.Curve).Select(c => new NoiseFreeCurve(c)));

    /// <summary>Curves with 1, 2 or 5 % noise.</summary>
    public static Arbitrary<NoisyCurve> Noisy()
        => Arb.From(Curves(Gen.Elements(0.01, 0.02, 0.05), true).Select(c => new NoisyCurve(c)), n => Shrink(n.Curve).Select(c => new NoisyCurve(c)));
}
