namespace Lab.Stages.Domains.Nmt;

/// <summary>Trains one translation model on one shard with the shared loop (teacher forcing, padding ignored).</summary>
public static class NmtTraining
{
    /// <summary>Mean per-token cross-entropy of logits [T, B, V] against targets [T, B], padding ignored.</summary>
    public static Tensor Loss(Tensor logits, Tensor targets, nn.Reduction reduction = nn.Reduction.Mean)
        => nn.functional.cross_entropy(logits.reshape(-1, logits.shape[^1]), targets.reshape(-1), ignore_index: NmtVocabulary.Pad, reduction: reduction);

    /// <summary>A fresh model of the spec's architecture ("lstm" or "transformer").</summary>
    public static nn.Module<Tensor, Tensor, Tensor> Create(NmtModelSpec spec, int vocab, int maxLen) => spec.Arch switch
    {
        "lstm" => new Seq2SeqLstm(spec, vocab),
        "transformer" => new Seq2SeqTransformer(spec, vocab, maxLen),
        _ => throw new ArgumentException($"unknown translation architecture '{spec.Arch}' (lstm, transformer)")
    };

    /// <summary>A trained model (best validation weights) and what training did.</summary>
    public static (nn.Module<Tensor, Tensor, Tensor> Model, TrainOutcome Outcome) Run(NmtData data, Shard shard, NmtModelSpec spec, NmtPreset p, TrainSettings s,
        Device device, Action<int, double>? onEpoch = null)
    {
        manual_seed(s.Seed);
        var model = Create(spec, data.Vocab.Size, p.MaxLen);
        model.to(device);
        var pairs = data.Train.Take(shard.Examples).ToArray();
        long tokens = pairs.Sum(x => (long)x.Tgt.Length + 1);
        int reps = (int)Math.Max(1, (p.MinTokensPerEpoch + tokens - 1) / tokens);
        IEnumerable<Batch> Epoch(int e)
        {
            var rng = new Random(unchecked((int)(s.Seed * 1_000_003 + e)));
            var order = Enumerable.Range(0, reps).SelectMany(_ => Enumerable.Range(0, pairs.Length)).ToArray();
            rng.Shuffle(order);
            // length bucketing: within windows of 32 batches, pairs of similar length share a batch (less padding);
            // the batches themselves are then shuffled
            var batches = Chunking.Chunks(order, 32 * p.BatchSize)
                .SelectMany(window => Chunking.Chunks(window.OrderBy(i => pairs[i].Tgt.Length).ThenBy(i => pairs[i].Src.Length).ToArray(), p.BatchSize))
                .ToArray();
            rng.Shuffle(batches);
            foreach (var chunk in batches)
            {
                var batch = chunk.Select(i => pairs[i]).ToArray();
                yield return new Batch(d => NmtBatches.Tensors(batch, d), batch.Sum(x => x.Tgt.Length + 1));
            }
        }
        var outcome = Trainer.Run(model, Epoch, t => Loss(model.call(t[0], t[1]), t[2]),
            () => CrossEntropy(model, data.Val, p.EvalBatch, device), s, device, onEpoch);
        return (model, outcome);
    }

    /// <summary>TorchSharp's own validation: mean per-token cross-entropy (target tokens and &lt;/s&gt;).</summary>
    public static double CrossEntropy(nn.Module<Tensor, Tensor, Tensor> model, IReadOnlyList<NmtPair> pairs, int batch, Device device)
    {
        model.eval();
        using var _ = no_grad();
        double sum = 0; long n = 0;
        foreach (var chunk in Chunking.Chunks(Enumerable.Range(0, pairs.Count).ToArray(), batch))
        {
            using var scope = NewDisposeScope();
            var t = NmtBatches.Tensors(chunk.Select(i => pairs[i]).ToArray(), device);
            sum += Loss(model.call(t[0], t[1]), t[2], nn.Reduction.Sum).item<float>();
            n += chunk.Sum(i => pairs[i].Tgt.Length + 1);
        }
        return sum / n;
    }
}
