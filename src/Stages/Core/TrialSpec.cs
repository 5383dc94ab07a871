namespace Lab.Stages.Core;

/// <summary>
/// Everything that determines a trial's result. Its <see cref="Id"/> is a hash of all of it, so a finished trial is
/// recognised on any machine and never trained twice.
/// </summary>
/// <param name="Domain">Domain name, e.g. "lm".</param>
/// <param name="DataFingerprint">Hash of the prepared data (tokenisation, vocabulary, splits).</param>
/// <param name="ShardIndex">0 for the smallest shard.</param>
/// <param name="ShardExamples">Training examples in the shard.</param>
/// <param name="ShardSize">The learning-curve abscissa m (tokens for language models).</param>
/// <param name="Model">Canonical model description, e.g. "lstm-e64-h64-l1".</param>
/// <param name="LearningRate">Adam learning rate.</param>
/// <param name="Hyper">Canonical string of the other training hyper-parameters.</param>
/// <param name="Seed">Random seed of initialisation and batching.</param>
public sealed record TrialSpec(
    string Domain, string DataFingerprint, int ShardIndex, long ShardExamples, long ShardSize,
    string Model, double LearningRate, string Hyper, long Seed)
{
    /// <summary>Content address: the first 16 hex digits of the SHA-256 of every field.</summary>
    public string Id => Hashing.Sha256(string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"{Domain}|{DataFingerprint}|{ShardIndex}|{ShardExamples}|{ShardSize}|{Model}|{LearningRate:R}|{Hyper}|{Seed}"))[..16];
}
