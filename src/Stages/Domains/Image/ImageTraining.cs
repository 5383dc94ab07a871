namespace Lab.Stages.Domains.Image;

/// <summary>Trains one image classifier on one shard with the shared loop: batching, cross-entropy, TorchSharp validation.</summary>
public static class ImageTraining
{
    /// <summary>A trained model (best validation weights) and what training did.</summary>
    public static (ConvNet Model, TrainOutcome Outcome) Run(ImageData data, Shard shard, ImageModelSpec spec, ImagePreset p, TrainSettings s,
        Device device, Action<int, double>? onEpoch = null)
    {
        manual_seed(s.Seed);
        var model = new ConvNet(spec, data.Train.Channels, data.Train.Classes, data.Mean, data.Std);
        model.to(device);
        int n = shard.Examples;
        int reps = (int)Math.Max(1, (p.MinImagesPerEpoch + n - 1) / n);
        IEnumerable<Batch> Epoch(int e)
        {
            var rng = new Random(unchecked((int)(s.Seed * 1_000_003 + e)));
            var order = Enumerable.Range(0, reps).SelectMany(_ => Enumerable.Range(0, n)).ToArray();
            rng.Shuffle(order);
            foreach (var chunk in Chunking.Chunks(order, p.BatchSize))
                yield return new Batch(d => [ImageBatches.Input(data.Train, chunk, d), ImageBatches.Labels(data.Train, chunk, d)], chunk.Length);
        }
        var outcome = Trainer.Run(model, Epoch, t => nn.functional.cross_entropy(model.call(t[0]), t[1]),
            () => CrossEntropy(model, data.Val, p.EvalBatch, device), s, device, onEpoch);
        return (model, outcome);
    }

    /// <summary>TorchSharp's own validation: mean cross-entropy (nats) over the set.</summary>
    public static double CrossEntropy(ConvNet model, ImageSet set, int batch, Device device)
    {
        model.eval();
        using var _ = no_grad();
        double sum = 0;
        foreach (var chunk in Chunking.Chunks(Enumerable.Range(0, set.Count).ToArray(), batch))
        {
            using var scope = NewDisposeScope();
            var logits = model.call(ImageBatches.Input(set, chunk, device));
            sum += nn.functional.cross_entropy(logits, ImageBatches.Labels(set, chunk, device), reduction: nn.Reduction.Sum).item<float>();
        }
        return sum / set.Count;
    }
}
