namespace Lab.Stages.Domains.Nmt;

/// <summary>Batches of pairs as time-major id tensors: the source left-padded (so the encoder ends on real tokens), the
/// target input (&lt;s&gt; + target) and output (target + &lt;/s&gt;) right-padded.</summary>
public static class NmtBatches
{
    /// <summary>(source [S, B], target input [T, B], target output [T, B]) as int64 arrays with their lengths.</summary>
    public static (long[] Src, int S, long[] TgtIn, long[] TgtOut, int T) Make(IReadOnlyList<NmtPair> pairs)
    {
        int b = pairs.Count, s = pairs.Max(p => p.Src.Length), t = pairs.Max(p => p.Tgt.Length) + 1;
        var src = new long[s * b]; var tin = new long[t * b]; var tout = new long[t * b];
        for (int j = 0; j < b; j++)
        {
            var p = pairs[j];
            int offset = s - p.Src.Length;
            for (int i = 0; i < p.Src.Length; i++) src[(offset + i) * b + j] = p.Src[i];
            tin[j] = NmtVocabulary.Bos;
            for (int i = 0; i < p.Tgt.Length; i++) { tin[(i + 1) * b + j] = p.Tgt[i]; tout[i * b + j] = p.Tgt[i]; }
            if (p.Tgt.Length + 1 < t) tin[(p.Tgt.Length + 1) * b + j] = NmtVocabulary.Pad;
            tout[p.Tgt.Length * b + j] = NmtVocabulary.Eos;
        }
        return (src, s, tin, tout, t);
    }

    /// <summary>The three tensors of a batch on a device.</summary>
    public static Tensor[] Tensors(IReadOnlyList<NmtPair> pairs, Device device)
    {
        var (src, s, tin, tout, t) = Make(pairs);
        long b = pairs.Count;
        return [tensor(src, [s, b], device: device), tensor(tin, [t, b], device: device), tensor(tout, [t, b], device: device)];
    }
}
