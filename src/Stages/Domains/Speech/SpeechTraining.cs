namespace Lab.Stages.Domains.Speech;

/// <summary>Trains one recogniser on one shard with the shared loop: length-bucketed batches, CTC loss, TorchSharp
/// validation CTC loss per character (the early-stopping criterion).</summary>
public static class SpeechTraining
{
    /// <summary>A new model of the spec's family.</summary>
    public static CtcModel Create(SpeechModelSpec spec, int vocab) => spec.Arch switch
    {
        "ds2" => new Ds2(spec, vocab),
        "conv" => new ConvCtc(spec, vocab),
        _ => throw new ArgumentException($"unknown speech architecture '{spec.Arch}' (ds2 or conv)")
    };

    /// <summary>A trained model (best validation weights) and what training did. Units are frames.</summary>
    public static (CtcModel Model, TrainOutcome Outcome) Run(SpeechData data, Shard shard, SpeechModelSpec spec, SpeechPreset p, TrainSettings s,
        Device device, Action<int, double>? onEpoch = null)
    {
        manual_seed(s.Seed);
        var model = Create(spec, data.Vocab.Size);
        model.to(device);
        var idx = Enumerable.Range(0, shard.Examples).ToArray();
        long frames = idx.Sum(i => (long)data.Train.Items[i].Frames);
        int reps = (int)Math.Max(1, (p.MinFramesPerEpoch + frames - 1) / frames);
        IEnumerable<Batch> Epoch(int e)
        {
            var rng = new Random(unchecked((int)(s.Seed * 1_000_003 + e)));
            var all = Enumerable.Range(0, reps).SelectMany(_ => idx).ToArray();
            foreach (var b in SpeechBatches.Bucketed(data.Train, all, p.BatchSize, rng))
                yield return new Batch(d => SpeechBatches.Make(data.Train, b, d), b.Sum(i => (long)data.Train.Items[i].Frames));
        }
        Tensor Loss(Tensor[] t)
        {
            var logProbs = model.call(t[0], t[1]);
            return nn.functional.ctc_loss(logProbs, t[2], model.OutputLengths(t[1]), t[3], CharVocab.Blank, zero_infinity: true);
        }
        var outcome = Trainer.Run(model, Epoch, Loss, () => CtcPerChar(model, data.Val, p.EvalBatch, device), s, device, onEpoch);
        return (model, outcome);
    }

    /// <summary>TorchSharp's validation: total CTC loss over total characters of the utterances that have an alignment
    /// (the ONNX Runtime evaluation skips the same ones).</summary>
    public static double CtcPerChar(CtcModel model, SpeechSet set, int batch, Device device)
    {
        model.eval();
        using var _ = no_grad();
        double sum = 0; long chars = 0;
        foreach (var b in SpeechBatches.Sorted(set, batch))
        {
            using var scope = NewDisposeScope();
            var feasible = b.Where(i => Ctc.Feasible(model.Spec.OutputLength(set.Items[i].Frames), set.Items[i].Labels)).ToArray();
            if (feasible.Length == 0) continue;
            var t = SpeechBatches.Make(set, feasible, device);
            var logProbs = model.call(t[0], t[1]);
            using var losses = nn.functional.ctc_loss(logProbs, t[2], model.OutputLengths(t[1]), t[3], CharVocab.Blank, zero_infinity: true,
                reduction: nn.Reduction.None).cpu();
            sum += losses.data<float>().ToArray().Sum(v => (double)v);
            chars += feasible.Sum(i => (long)set.Items[i].Labels.Length);
        }
        return chars > 0 ? sum / chars : double.NaN;
    }
}
