namespace Lab.Stages.Train;

/// <summary>How one model is trained: Adam with a learning rate that halves on plateaus, gradient clipping, early
/// stopping on the validation set, and a budget of validation periods ("epochs"; an epoch repeats a tiny shard up to a
/// minimum size, so the step budget grows with the shard).</summary>
/// <param name="LearningRate">Adam's starting step size.</param>
/// <param name="MaxEpochs">The budget: at most this many epochs. A trial that reaches it is recorded as stopped by the budget.</param>
/// <param name="Patience">Epochs without validation improvement before stopping (early stop).</param>
/// <param name="ClipNorm">Global gradient-norm clip.</param>
/// <param name="Seed">Seed of initialisation, dropout and batch order.</param>
/// <param name="DecayPatience">Epochs without improvement before the learning rate is multiplied by
/// <paramref name="DecayFactor"/> (and the best weights restored): learning-rate decay on plateau. 0: never decay.</param>
/// <param name="DecayFactor">The plateau multiplier of the learning rate.</param>
/// <param name="Prune">Stop early as hopeless when, after an epoch, this says so (epochs run, best validation loss so far); null: never.</param>
/// <param name="Cancel">Abandons the training (OperationCanceledException before the next batch) when cancelled: an
/// interrupted run. It does not change what a completed training computes.</param>
public sealed record TrainSettings(double LearningRate, int MaxEpochs, int Patience, double ClipNorm, long Seed,
    int DecayPatience = 1, double DecayFactor = 0.5, Func<int, double, bool>? Prune = null, CancellationToken Cancel = default)
{
    /// <summary>A validation loss counts as an improvement when it is below the best by more than this fraction.</summary>
    public const double MinRelativeImprovement = 1e-4;
}
