using LanguageExt;
namespace Lab.Stages.Domains.Nmt;

/// <summary>One sentence pair as subword ids (source and target, each at most MaxLen pieces).</summary>
public sealed record NmtPair(int[] Src, int[] Tgt);

/// <summary>
/// A parallel corpus prepared once for a seed: validation and test pairs first (fixed, never in a shard), the rest the
/// training split in shuffled order, whose prefixes are the shards. BPE and the vocabulary come from the whole training
/// split, so losses compare across shard sizes. The raw target sentences of validation and test are kept for BLEU.
/// </summary>
public sealed record NmtData(Bpe Bpe, NmtVocabulary Vocab, NmtPair[] Train, NmtPair[] Val, NmtPair[] Test,
    string[] ValRefs, string[] TestRefs, string Fingerprint) : IFingerprinted
{
    /// <summary>Tokenises, splits and encodes; a problem when the corpus is too small for the preset.</summary>
    public static Either<Problem, NmtData> Prepare(IReadOnlyList<(string Source, string Target)> pairs, NmtPreset p, long seed, Bpe? bpe = null, NmtVocabulary? vocab = null)
    {
        if (pairs.Count < p.ValPairs + p.TestPairs + 10)
            return new Problem($"{pairs.Count} sentence pairs are too few for preset '{p.Name}' ({p.ValPairs} validation + {p.TestPairs} test + training)", "give more pairs or choose a smaller preset");
        var splits = Splits.Cut(Enumerable.Repeat(1, pairs.Count).ToArray(), p.ValPairs, p.TestPairs, seed);
        var train = splits.Train.Select(i => pairs[i]).ToArray();
        if (bpe is null)
        {
            var counts = new Dictionary<string, long>(StringComparer.Ordinal);
            foreach (var (s, t) in train) foreach (var w in Bpe.Words(s).Concat(Bpe.Words(t))) counts[w] = counts.GetValueOrDefault(w) + 1;
            bpe = Bpe.Learn(counts, p.Merges);
        }
        string[] Pieces(string text) => bpe.EncodeSentence(text).Take(p.MaxLen).ToArray();
        var trainPieces = train.Select(x => (Pieces(x.Source), Pieces(x.Target))).ToArray();
        vocab ??= NmtVocabulary.Build(trainPieces.SelectMany(x => x.Item1.Concat(x.Item2)));
        NmtPair Ids((string[] S, string[] T) x) => new(x.S.Select(vocab.Id).ToArray(), x.T.Select(vocab.Id).ToArray());
        var trainIds = trainPieces.Select(Ids).Where(x => x.Src.Length > 0 && x.Tgt.Length > 0).ToArray();
        NmtPair[] Held(int[] idx) => idx.Select(i => Ids((Pieces(pairs[i].Source), Pieces(pairs[i].Target)))).ToArray();
        var val = Held(splits.Val); var test = Held(splits.Test);
        long total = trainIds.Sum(x => (long)x.Tgt.Length + 1);
        long needed = p.Shards.MinimumData;
        if (total < needed)
            return new Problem($"the training split has {total:N0} target tokens but a curve needs at least {needed:N0} ({p.Shards.MinShards} halving shards from {p.Shards.Smallest:N0})",
                "give more pairs or choose a smaller preset");
        var fingerprint = Hashing.Sha256(string.Join("|", Bpe.Version, Hashing.Sha256(string.Join('\n', bpe.Merges.Select(m => m.Left + " " + m.Right))), vocab.Hash,
            Hashing.Sha256(trainIds.SelectMany(x => x.Src.Append(-1).Concat(x.Tgt).Append(-2))), Hashing.Sha256(val.SelectMany(x => x.Src.Append(-1).Concat(x.Tgt).Append(-2))),
            Hashing.Sha256(test.SelectMany(x => x.Src.Append(-1).Concat(x.Tgt).Append(-2))), p.MaxLen, seed))[..16];
        return new NmtData(bpe, vocab, trainIds, val, test, splits.Val.Select(i => pairs[i].Target).ToArray(), splits.Test.Select(i => pairs[i].Target).ToArray(), fingerprint);
    }
}
