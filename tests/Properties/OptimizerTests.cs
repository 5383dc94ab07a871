using Lab.Stages.Domains.Lm;
using Lab.Stages.Language;
using Lab.Stages.Train;
using TorchSharp;
using static TorchSharp.torch;

namespace Lab.Tests;

/// <summary>The project's Adam equals TorchSharp's bit for bit, and training under GC stress (collections and
/// finalizers running all the time, as when a Scalar is freed mid-call) gives bit-identical weights.</summary>
public class OptimizerTests
{
    static LstmLm Model() { manual_seed(11); return new LstmLm(new LmModelSpec(8, 12, 1, 0.1), 20); }

    static (Tensor X, Tensor Y) Batch(int step)
    {
        var rng = new Random(step);
        var x = Enumerable.Range(0, 6 * 4).Select(_ => (long)rng.Next(20)).ToArray();
        var y = Enumerable.Range(0, 6 * 4).Select(_ => (long)rng.Next(20)).ToArray();
        return (tensor(x, [6, 4]), tensor(y, [6, 4]));
    }

    static Dictionary<string, Tensor> Weights(nn.Module m)
        => m.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone().DetachFromDisposeScope());

    [Fact]
    public void ExplicitAdam_updates_exactly_as_TorchSharps_Adam()
    {
        TorchSetup.Once();
        var a = Model(); var b = Model();
        using var theirs = optim.Adam(a.parameters(), lr: 3e-3);
        using var ours = new ExplicitAdam(b.parameters(), 3e-3);
        for (int step = 0; step < 30; step++)
        {
            if (step == 15) { foreach (var g in theirs.ParamGroups) g.LearningRate = 1.5e-3; ours.LearningRate = 1.5e-3; }
            foreach (var (m, zero, update) in new (LstmLm, Action, Action)[] { (a, theirs.zero_grad, () => theirs.step()), (b, ours.ZeroGrad, ours.Step) })
            {
                using var scope = NewDisposeScope();
                manual_seed(100 + step);   // the same dropout masks for both
                m.train();
                var (x, y) = Batch(step);
                zero();
                LmTraining.Loss(m.call(x), y).backward();
                nn.utils.clip_grad_norm_(m.parameters(), 0.5);
                update();
            }
        }
        var wa = Weights(a); var wb = Weights(b);
        Assert.All(wa, kv => Assert.True(kv.Value.equal(wb[kv.Key]).all().item<bool>(), $"{kv.Key} differs"));
        var start = Weights(Model());
        Assert.Contains(wa, kv => !kv.Value.equal(start[kv.Key]).all().item<bool>());   // training moved the weights
    }

    static Dictionary<string, Tensor> Train(bool stress)
    {
        var model = Model();
        using var stop = new CancellationTokenSource();
        var collector = stress ? Task.Run(() =>
        {
            while (!stop.IsCancellationRequested) { GC.Collect(); GC.WaitForPendingFinalizers(); }
        }) : Task.CompletedTask;
        try
        {
            IEnumerable<Batch> Epoch(int e) => Enumerable.Range(0, 8).Select(i =>
            {
                var rng = new Random(e * 100 + i);
                var x = Enumerable.Range(0, 24).Select(_ => (long)rng.Next(20)).ToArray();
                var y = x.Select(t => (t * 7 + 3) % 20).ToArray();
                return new Batch(d => [tensor(x, [6, 4], device: d), tensor(y, [6, 4], device: d)], 24);
            });
            double Validate()
            {
                using var scope = NewDisposeScope();
                var (x, y) = Batch(999);
                return LmTraining.Loss(model.call(x), y).item<float>();
            }
            manual_seed(5);
            Trainer.Run(model, Epoch, t => LmTraining.Loss(model.call(t[0]), t[1]), Validate,
                new TrainSettings(1e-2, 6, 3, 1.0, 5), CPU);
        }
        finally { stop.Cancel(); collector.Wait(); }
        return Weights(model);
    }

    [Fact]
    public void Training_under_GC_stress_gives_bit_identical_weights()
    {
        TorchSetup.Once();
        var calm = Train(stress: false);
        var stressed = Train(stress: true);
        Assert.All(calm, kv => Assert.True(kv.Value.equal(stressed[kv.Key]).all().item<bool>(), $"{kv.Key} differs under GC stress"));
    }
}
