namespace Lab.Stages.Language;

/// <summary>Trains one language model (any family) on one shard: batching, loss and TorchSharp validation for the shared loop.</summary>
public static class LmTraining
{
    /// <summary>A trained model (best validation weights) and what training did.</summary>
    public static (LanguageModel Model, TrainOutcome Outcome) Run(
        LmData data, Shard shard, LmModelSpec spec, LmPreset p, TrainSettings s, Device device, Action<int, double>? onEpoch = null)
    {
        manual_seed(s.Seed);
        var model = spec.Create(data.Vocab.Size);
        model.to(device);
        var stream = data.ShardStream(shard.Examples);
        int reps = (int)Math.Max(1, (p.MinTokensPerEpoch + stream.Length - 1) / stream.Length);
        IEnumerable<Batch> Epoch(int e)
        {
            var rng = new Random(unchecked((int)(s.Seed * 1_000_003 + e)));
            var starts = Enumerable.Range(0, reps).SelectMany(_ => LmWindows.Starts(stream.Length, p.SeqLen, rng.Next(p.SeqLen))).ToArray();
            rng.Shuffle(starts);
            foreach (var chunk in Chunking.Chunks(starts, p.BatchSize))
            {
                var (x, y) = LmWindows.Batch(stream, chunk, p.SeqLen);
                long[] shape = [p.SeqLen, chunk.Length];
                yield return new Batch(d => [tensor(x, shape, device: d), tensor(y, shape, device: d)], x.Length);
            }
        }
        var outcome = Trainer.Run(model, Epoch, t => Loss(model.call(t[0]), t[1]), () => CrossEntropy(model, data.Val, p.SeqLen, p.EvalBatch, device).Nats,
            s, device, onEpoch);
        return (model, outcome);
    }

    /// <summary>Mean token cross-entropy of logits [T, B, V] against targets [T, B].</summary>
    public static Tensor Loss(Tensor logits, Tensor targets) =>
        nn.functional.cross_entropy(logits.reshape(-1, logits.shape[^1]), targets.reshape(-1));

    /// <summary>TorchSharp's own evaluation: mean cross-entropy (nats) over the stream's non-overlapping windows.</summary>
    public static (double Nats, long Tokens) CrossEntropy(LanguageModel model, int[] stream, int t, int batch, Device device)
    {
        model.eval();
        using var _ = no_grad();
        double sum = 0; long n = 0;
        foreach (var chunk in Chunking.Chunks(LmWindows.Starts(stream.Length, t), batch))
        {
            using var scope = NewDisposeScope();
            var (x, y) = LmWindows.Batch(stream, chunk, t);
            long[] shape = [t, chunk.Length];
            var logits = model.call(tensor(x, shape, device: device));
            var l = nn.functional.cross_entropy(logits.reshape(-1, logits.shape[^1]), tensor(y, shape, device: device).reshape(-1),
                reduction: nn.Reduction.Sum);
            sum += l.item<float>(); n += y.Length;
        }
        return (n == 0 ? double.NaN : sum / n, n);
    }
}
