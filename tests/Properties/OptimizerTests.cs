using Lab.Stages.Domains.Image;
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

    /// <summary>Trains a small model (six epochs of eight batches) with the shared loop, optionally while another thread
    /// collects garbage and runs finalizers without pause, and returns its weights.</summary>
    static Dictionary<string, Tensor> Train<TModel>(bool stress, Func<TModel> make, Func<int, (Tensor X, Tensor Y)> batch, long unitsPerBatch,
        Func<TModel, Tensor, Tensor, Tensor> loss) where TModel : nn.Module
    {
        var model = make();
        using var stop = new CancellationTokenSource();
        var collector = stress ? Task.Run(() =>
        {
            while (!stop.IsCancellationRequested) { GC.Collect(); GC.WaitForPendingFinalizers(); }
        }) : Task.CompletedTask;
        try
        {
            IEnumerable<Batch> Epoch(int e) => Enumerable.Range(0, 8).Select(i => new Batch(d => { var (x, y) = batch(e * 100 + i); return [x, y]; }, unitsPerBatch));
            double Validate()
            {
                using var scope = NewDisposeScope();
                var (x, y) = batch(-1);
                return loss(model, x, y).item<float>();
            }
            manual_seed(5);
            Trainer.Run(model, Epoch, t => loss(model, t[0], t[1]), Validate, new TrainSettings(1e-2, 6, 3, 1.0, 5), CPU);
        }
        finally { stop.Cancel(); collector.Wait(); }
        return Weights(model);
    }

    static Dictionary<string, Tensor> TrainLm(bool stress) => Train(stress, Model, step =>
    {
        var rng = new Random(step);
        var x = Enumerable.Range(0, 24).Select(_ => (long)rng.Next(20)).ToArray();
        return (tensor(x, [6, 4]), tensor(x.Select(t => (t * 7 + 3) % 20).ToArray(), [6, 4]));
    }, 24, (m, x, y) => LmTraining.Loss(m.call(x), y));

    /// <summary>A residual image model: its forward pass adds tensors and normalises by numbers (each TorchSharp's
    /// <c>a + b</c> and <c>(x − mean) / std</c> would create a Scalar only the finalizer frees).</summary>
    static Dictionary<string, Tensor> TrainImage(bool stress) => Train(stress,
        () => { manual_seed(11); return new ConvNet(new ImageModelSpec("resnet", 8, 1), 1, 5, 0.4f, 0.3f); }, step =>
        {
            var rng = new Random(step);
            var y = Enumerable.Range(0, 32).Select(_ => (long)rng.Next(5)).ToArray();
            var x = y.SelectMany(c => Enumerable.Range(0, 256).Select(j => (float)(rng.NextDouble() * 0.5 + (j % 5 == c ? 0.5 : 0)))).ToArray();
            return (tensor(x, [32, 1, 16, 16]), tensor(y));
        }, 32, (m, x, y) => nn.functional.cross_entropy(m.call(x), y));

    [Fact]
    public void Training_under_GC_stress_gives_bit_identical_weights()
    {
        TorchSetup.Once();
        foreach (var (name, train) in new (string, Func<bool, Dictionary<string, Tensor>>)[] { ("lstm lm", TrainLm), ("resnet", TrainImage) })
        {
            var calm = train(false);
            var stressed = train(true);
            Assert.All(calm, kv => Assert.True(kv.Value.equal(stressed[kv.Key]).all().item<bool>(), $"{name}: {kv.Key} differs under GC stress"));
        }
    }
}
