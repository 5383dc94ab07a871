using LanguageExt;
namespace Lab.Stages.Language;

/// <summary>
/// A tokenised corpus split once for a seed: validation and test examples first (fixed, never in a shard), the rest
/// the training split in shuffled order, whose prefixes are the shards. Examples are id arrays (of words or characters,
/// as the domain's <see cref="TextUnits"/> cut them) ending in &lt;eos&gt;.
/// </summary>
public sealed record LmData(Vocabulary Vocab, int[] Val, int[] Test, IReadOnlyList<int[]> Train, string Fingerprint) : IFingerprinted
{
    /// <summary>Tokens (with &lt;eos&gt;) in the whole training split.</summary>
    public long TrainTokens => Train.Sum(e => (long)e.Length);

    /// <summary>The token stream of the first <paramref name="examples"/> training examples (a shard).</summary>
    public int[] ShardStream(int examples) => Train.Take(examples).SelectMany(e => e).ToArray();

    /// <summary>
    /// Cuts the documents into units, shuffles their examples with the seed, cuts validation, test and training. The
    /// vocabulary is built from the training split unless one is given (re-evaluating a model on other data).
    /// </summary>
    public static Either<Problem, LmData> Prepare(IReadOnlyList<(string Name, string Text)> documents, LmPreset p, long seed, TextUnits units, Vocabulary? vocabulary = null)
    {
        var examples = documents.SelectMany(d => units.Examples(d.Text, p.MaxExampleTokens)).Where(e => e.Length > 0).ToArray();
        long total = examples.Sum(e => (long)e.Length + 1);
        long needed = p.ValTokens + p.TestTokens + p.Shards.MinimumData;
        if (total < needed)
            return new Problem($"the corpus has {total:N0} {units.Counted} (with one <eos> per example) but preset '{p.Name}' needs at least {needed:N0} (validation {p.ValTokens:N0} + test {p.TestTokens:N0} + " +
                               $"{p.Shards.MinimumData:N0} of training for its minimum of {p.Shards.MinShards} halving shards from {p.Shards.Smallest:N0})",
                "give more text with --data or choose a smaller preset");
        var splits = Splits.Cut(examples.Select(e => e.Length + 1).ToArray(), p.ValTokens, p.TestTokens, seed);
        var val = splits.Val.Select(i => examples[i]).ToArray();
        var test = splits.Test.Select(i => examples[i]).ToArray();
        var train = splits.Train.Select(i => examples[i]).ToArray();
        var vocab = vocabulary ?? Vocabulary.Build(train, p.VocabSize, units.MinCount);
        int[] Ids(string[] e) => e.Select(vocab.Id).Append(Vocabulary.Eos).ToArray();
        var trainIds = train.Select(Ids).ToArray();
        var valIds = val.SelectMany(Ids).ToArray();
        var testIds = test.SelectMany(Ids).ToArray();
        var fingerprint = Hashing.Sha256(string.Join("|", units.Version, vocab.Hash, Hashing.Sha256(valIds),
            Hashing.Sha256(testIds), Hashing.Sha256(trainIds.SelectMany(e => e)), p.MaxExampleTokens, seed))[..16];
        return new LmData(vocab, valIds, testIds, trainIds, fingerprint);
    }
}
