using Lab.Stages.Language;
using Microsoft.ML.OnnxRuntime;

namespace Lab.Pipeline.Language;

/// <summary>
/// Rebuilds a language model's validation split from its metadata (the units' version, seed, split sizes and the
/// vocabulary stored in the model) and measures its metric with ONNX Runtime. Prepared data is cached per data file and
/// settings, so re-evaluating a whole study cuts the corpus once.
/// </summary>
public sealed class LmReeval(string defaultData, TextUnits units, LmMetric metric)
{
    readonly ReevalSets<LmData> sets = new();

    /// <summary>The measurement, or a problem naming the model and what is missing.</summary>
    public Either<Problem, ReevalMeasurement> Run(ReevalRequest r, InferenceSession session)
        => from _ in r.Require("tokenization", "seed", "vocab", "vocab_sha256", "max_example_tokens", "val_tokens", "test_tokens", "eval_seq_len", "data_source")
           from __ in r.SameVersion("tokenization", units.Version, "tokenisation")
           let vocab = new Vocabulary(r.Metadata["vocab"].Split('\n'))
           from ___ in vocab.Hash == r.Metadata["vocab_sha256"] ? Right<Problem, Unit>(unit)
               : new Problem($"{r.ModelPath}: the stored vocabulary does not match its SHA-256; the metadata was altered")
           from dataPath in r.DataOrShipped(defaultData, "corpus")
           let split = new LmSplit((int)r.Long("max_example_tokens"), r.Long("val_tokens"), r.Long("test_tokens"))
           from data in sets.Get(r, $"{Path.GetFullPath(dataPath)}|{r.Metadata["seed"]}|{split}|{vocab.Hash}",
               () => TextCorpus.Load(dataPath).Bind(docs => LmData.Prepare(docs.ToList(), split.Preset(vocab.Size), r.Long("seed"), units, vocab)))
           let batch = r.BatchOr(128)
           let result = LmOrtEval.CrossEntropy(session, data.Val, r.Int("eval_seq_len"), batch)
           select new ReevalMeasurement(metric.Val, metric.Of(result.Nats), result.Tokens, batch, result.BatchSeconds, dataPath, data.Fingerprint);

    /// <summary>The values that cut a text's evaluation split (the training values of a preset do not matter here).</summary>
    sealed record LmSplit(int MaxExampleTokens, long ValTokens, long TestTokens)
    {
        public LmPreset Preset(int vocab) => new("reeval", vocab, SeqLen: 1, BatchSize: 1, EvalBatch: 1, MaxExampleTokens, ValTokens, TestTokens,
            new Lab.Stages.Subset.ShardLadder(1, 1, 1), [], [], 0, 0, 0, 0, new());
    }
}
