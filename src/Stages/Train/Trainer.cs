using LanguageExt;
using System.Diagnostics;

namespace Lab.Stages.Train;

/// <summary>
/// The training loop every domain shares: Adam (<see cref="ExplicitAdam"/>: no implicit Scalars), gradient clipping, one dispose scope per step, validation after each
/// epoch, learning-rate decay on plateaus (back to the best weights, smaller step), early stopping with the best weights
/// restored, an epoch budget, optional pruning of hopeless runs, divergence (NaN/inf loss) reported as a status; the
/// outcome says why training stopped.
/// </summary>
public static class Trainer
{
    /// <summary>Trains <paramref name="model"/> in place and leaves it holding its best-validation weights.</summary>
    /// <param name="model">The model, already on <paramref name="device"/>.</param>
    /// <param name="epoch">The batches of epoch e (the domain shuffles them with its seed).</param>
    /// <param name="loss">Mean loss of a batch's tensors (the domain runs the model inside it).</param>
    /// <param name="validate">Validation loss of the model in eval mode (lower is better).</param>
    /// <param name="settings">Learning rate, epochs, patience, clipping, seed.</param>
    /// <param name="device">Where tensors live.</param>
    /// <param name="onEpoch">Told (epoch, validation loss) after each epoch, for progress displays.</param>
    /// <exception cref="OperationCanceledException">When <see cref="TrainSettings.Cancel"/> is cancelled (checked before every batch).</exception>
    public static TrainOutcome Run(
        nn.Module model, Func<int, IEnumerable<Batch>> epoch, Func<Tensor[], Tensor> loss,
        Func<double> validate, TrainSettings settings, Device device, Action<int, double>? onEpoch = null)
    {
        var opt = new ExplicitAdam(model.parameters(), settings.LearningRate);
        var clock = Stopwatch.StartNew();
        var curve = new List<double>();
        Dictionary<string, Tensor>? best = null;
        double bestVal = double.PositiveInfinity, lr = settings.LearningRate; int bestEpoch = 0, sinceBest = 0, epochs = 0, decays = 0;
        long units = 0; double trainSeconds = 0;
        var status = TrialStatus.Ok; string reason = "", stoppedBy = StopReasons.Budget;
        try
        {
            for (int e = 0; e < settings.MaxEpochs; e++)
            {
                model.train();
                var t0 = clock.Elapsed.TotalSeconds;
                foreach (var b in epoch(e))
                {
                    settings.Cancel.ThrowIfCancellationRequested();
                    using var scope = NewDisposeScope();
                    var lv = Step(model, opt, b.Make(device), loss, settings.ClipNorm);
                    if (!float.IsFinite(lv)) { status = TrialStatus.Diverged; reason = $"training loss became {lv} in epoch {e + 1}"; break; }
                    units += b.Units;
                }
                trainSeconds += clock.Elapsed.TotalSeconds - t0;
                if (status != TrialStatus.Ok) { stoppedBy = StopReasons.Diverged; break; }
                epochs = e + 1;
                model.eval();
                double v;
                using (no_grad()) v = validate();
                curve.Add(v);
                onEpoch?.Invoke(epochs, v);
                if (!double.IsFinite(v)) { status = TrialStatus.Diverged; reason = $"validation loss became {v} in epoch {epochs}"; stoppedBy = StopReasons.Diverged; break; }
                bool significant = v < bestVal * (1 - TrainSettings.MinRelativeImprovement);
                if (v < bestVal)
                {
                    // the best weights are always the lowest validation loss seen; only a clear improvement resets patience
                    bestVal = v; bestEpoch = epochs;
                    DisposeAll(best);
                    best = Snapshot(model);
                }
                if (significant) sinceBest = 0;
                else
                {
                    if (++sinceBest >= settings.Patience) { stoppedBy = StopReasons.EarlyStop; break; }
                    if (settings.DecayPatience > 0 && sinceBest % settings.DecayPatience == 0 && best is not null)
                    {
                        // plateau: go back to the best weights and continue with a smaller step
                        Restore(model, best);
                        lr *= settings.DecayFactor; decays++;
                        opt.LearningRate = lr;
                    }
                }
                if (settings.Prune?.Invoke(epochs, bestVal) == true) { stoppedBy = StopReasons.Pruned; break; }
            }
            if (best is not null) Restore(model, best);
            else if (status == TrialStatus.Ok) { status = TrialStatus.Failed; reason = "no epoch finished"; }
        }
        finally
        {
            DisposeAll(best);
            opt.Dispose();
        }
        model.eval();
        return new TrainOutcome(status, reason, epochs, bestEpoch, bestVal, trainSeconds, units, curve.ToSeq(), stoppedBy, decays, clock.Elapsed.TotalSeconds);
    }

    /// <summary>One training step, as every trial and the benchmarks run it: zero the gradients, the batch's loss, and
    /// unless it is not finite, backward, clip the global gradient norm and update. Returns the loss (call inside a
    /// dispose scope).</summary>
    public static float Step(nn.Module model, ExplicitAdam opt, Tensor[] batch, Func<Tensor[], Tensor> loss, double clipNorm)
    {
        opt.ZeroGrad();
        var l = loss(batch);
        var value = l.item<float>();
        if (!float.IsFinite(value)) return value;
        l.backward();
        nn.utils.clip_grad_norm_(model.parameters(), clipNorm);
        opt.Step();
        return value;
    }

    static Dictionary<string, Tensor> Snapshot(nn.Module model)
    {
        using var _ = no_grad();
        return model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone().DetachFromDisposeScope());
    }

    static void Restore(nn.Module model, Dictionary<string, Tensor> snapshot)
    {
        using var _ = no_grad();
        foreach (var (k, v) in model.state_dict()) v.copy_(snapshot[k]);
    }

    static void DisposeAll(Dictionary<string, Tensor>? d)
    {
        if (d is null) return;
        foreach (var t in d.Values) t.Dispose();
    }
}
