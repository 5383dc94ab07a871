namespace Lab.Stages.Train;

/// <summary>How one model is trained: Adam with this learning rate, gradient clipping, early stopping.</summary>
/// <param name="LearningRate">Adam step size.</param>
/// <param name="MaxEpochs">Upper bound on epochs (an epoch may repeat a tiny shard to reach a minimum size).</param>
/// <param name="Patience">Epochs without validation improvement before stopping.</param>
/// <param name="ClipNorm">Global gradient-norm clip.</param>
/// <param name="Seed">Seed of initialisation, dropout and batch order.</param>
public sealed record TrainSettings(double LearningRate, int MaxEpochs, int Patience, double ClipNorm, long Seed);
