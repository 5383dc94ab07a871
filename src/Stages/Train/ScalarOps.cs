namespace Lab.Stages.Train;

/// <summary>
/// Tensor-and-number operations of the models' forward passes with an explicit <see cref="Scalar"/>, held until the
/// native call has returned and then disposed. Writing <c>t * 0.5</c> or <c>t.clamp(0, 20)</c> instead converts the
/// number to a Scalar that only the finalizer frees, possibly while a native call still reads it (see
/// <see cref="ExplicitAdam"/>). Each is the same ATen operation as the implicit form, so results are unchanged.
/// </summary>
public static class ScalarOps
{
    /// <summary>The Scalar 1, held by a static field for the life of the process (so never finalized): the alpha of
    /// tensor sums, which TorchSharp's <c>a + b</c> and <c>t.add_(v)</c> otherwise create implicitly on every call.</summary>
    public static readonly Scalar One = 1.ToScalar();

    /// <summary>a + b, elementwise (broadcasting).</summary>
    public static Tensor Plus(Tensor a, Tensor b) => a.add(b, One);

    /// <summary>t − v.</summary>
    public static Tensor Sub(Tensor t, double v) { using var s = v.ToScalar(); return t.sub(s); }

    /// <summary>t / v.</summary>
    public static Tensor Div(Tensor t, double v) { using var s = v.ToScalar(); return t.div(s); }

    /// <summary>t × v.</summary>
    public static Tensor Mul(Tensor t, double v) { using var s = v.ToScalar(); return t.mul(s); }

    /// <summary>t + v.</summary>
    public static Tensor Add(Tensor t, long v) { using var s = v.ToScalar(); return t.add(s); }

    /// <summary>⌊t / v⌋.</summary>
    public static Tensor FloorDiv(Tensor t, long v) { using var s = v.ToScalar(); return t.div(s, rounding_mode: RoundingMode.floor); }

    /// <summary>t with v where mask is true.</summary>
    public static Tensor MaskedFill(Tensor t, Tensor mask, double v) { using var s = v.ToScalar(); return t.masked_fill(mask, s); }

    /// <summary>t limited to [lo, hi].</summary>
    public static Tensor Clamp(Tensor t, double lo, double hi)
    {
        using Scalar a = lo.ToScalar(), b = hi.ToScalar();
        return t.clamp(a, b);
    }

    /// <summary>t == v, elementwise.</summary>
    public static Tensor Eq(Tensor t, long v) { using var s = v.ToScalar(); return t.eq(s); }

    /// <summary>0, 1, …, n − 1 as int64 on a device.</summary>
    public static Tensor Arange(long n, Device device) { using var s = n.ToScalar(); return arange(s, dtype: ScalarType.Int64, device: device); }
}
