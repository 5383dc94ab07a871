namespace Lab.Stages.Domains.Speech;

/// <summary>Padded batches of utterances: features [B, T, 80] (zeros past each length, which the models' masks make
/// harmless), frame counts [B], CTC targets [B, S] and their lengths [B].</summary>
public static class SpeechBatches
{
    /// <summary>Features as floats, zero-padded to the longest, row-major [B, T, 80].</summary>
    public static float[] Features(SpeechSet set, int[] idx, out int maxFrames)
    {
        maxFrames = idx.Max(i => set.Items[i].Frames);
        var x = new float[idx.Length * maxFrames * LogMel.Bins];
        for (int b = 0; b < idx.Length; b++)
        {
            var u = set.Items[idx[b]];
            var dst = x.AsSpan(b * maxFrames * LogMel.Bins, u.Frames * LogMel.Bins);
            var src = u.Features.Span;
            for (int j = 0; j < dst.Length; j++) dst[j] = (float)src[j];
        }
        return x;
    }

    /// <summary>The tensors of a batch on a device: features, lengths, targets, target lengths.</summary>
    public static Tensor[] Make(SpeechSet set, int[] idx, Device device)
    {
        var x = Features(set, idx, out int t);
        int s = Math.Max(1, idx.Max(i => set.Items[i].Labels.Length));
        var targets = new long[idx.Length * s];
        for (int b = 0; b < idx.Length; b++)
        {
            var l = set.Items[idx[b]].Labels;
            for (int j = 0; j < l.Length; j++) targets[b * s + j] = l[j];
        }
        return
        [
            tensor(x, [idx.Length, t, LogMel.Bins], device: device),
            tensor(idx.Select(i => (long)set.Items[i].Frames).ToArray(), device: device),
            tensor(targets, [idx.Length, s], device: device),
            tensor(idx.Select(i => (long)set.Items[i].Labels.Length).ToArray(), device: device)
        ];
    }

    /// <summary>Batches of an epoch: the indices shuffled, cut into pools of 50 batches, each pool sorted by length and
    /// cut into batches (little padding), the batches shuffled.</summary>
    public static List<int[]> Bucketed(SpeechSet set, int[] indices, int batch, Random rng)
    {
        var order = indices.ToArray();
        rng.Shuffle(order);
        var batches = new List<int[]>();
        foreach (var pool in Chunking.Chunks(order, batch * 50))
            batches.AddRange(Chunking.Chunks(pool.OrderBy(i => set.Items[i].Frames).ToArray(), batch));
        var arr = batches.ToArray();
        rng.Shuffle(arr);
        return arr.ToList();
    }

    /// <summary>Evaluation batches: sorted by length, so padding is small.</summary>
    public static List<int[]> Sorted(SpeechSet set, int batch)
        => Chunking.Chunks(Enumerable.Range(0, set.Count).OrderBy(i => set.Items[i].Frames).ToArray(), batch).ToList();
}
