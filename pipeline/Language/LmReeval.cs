using Lab.Pipeline.Reeval;
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
    readonly Dictionary<string, LmData> cache = new();

    /// <summary>The measurement, or a problem naming the model and what is missing.</summary>
    public Either<Problem, ReevalMeasurement> Run(ReevalRequest r, InferenceSession session)
    {
        var meta = r.Metadata;
        string? Missing(params string[] keys) => keys.FirstOrDefault(k => !meta.ContainsKey(k));
        if (Missing("tokenization", "seed", "vocab", "vocab_sha256", "max_example_tokens", "val_tokens", "test_tokens", "eval_seq_len", "data_source") is string key)
            return new Problem($"{r.ModelPath}: metadata lacks '{key}', needed to rebuild the evaluation set");
        if (meta["tokenization"] != units.Version)
            return new Problem($"{r.ModelPath}: tokenisation {meta["tokenization"]} is not this build's {units.Version}", "re-evaluate with the build that trained it");
        var vocab = new Vocabulary(meta["vocab"].Split('\n'));
        if (vocab.Hash != meta["vocab_sha256"]) return new Problem($"{r.ModelPath}: the stored vocabulary does not match its SHA-256; the metadata was altered");
        long L(string k) => long.Parse(meta[k], CultureInfo.InvariantCulture);
        var dataPath = r.DataPath
            ?? (meta["data_source"] == Path.GetFileName(defaultData) ? Path.Combine(Paths.RepoRoot(), defaultData) : null);
        if (dataPath is null)
            return new Problem($"{r.ModelPath}: the model was trained on '{meta["data_source"]}', not the shipped corpus", "give that corpus with --data");
        int seqLen = (int)L("eval_seq_len");
        int batch = r.Batch > 0 ? r.Batch : meta.TryGetValue("eval_batch", out var b) ? int.Parse(b, CultureInfo.InvariantCulture) : 128;
        // only the values that cut the evaluation set matter; training values are not used
        var preset = new LmPreset("reeval", vocab.Size, seqLen, BatchSize: 1, batch, MaxExampleTokens: (int)L("max_example_tokens"),
            ValTokens: L("val_tokens"), TestTokens: L("test_tokens"), new Lab.Stages.Subset.ShardLadder(1, 1, 1), [], [], 0, 0, 0, 0, new());
        var cacheKey = $"{Path.GetFullPath(dataPath)}|{meta["seed"]}|{preset.MaxExampleTokens}|{preset.ValTokens}|{preset.TestTokens}|{vocab.Hash}";
        if (!cache.TryGetValue(cacheKey, out var data))
        {
            var prepared = TextCorpus.Load(dataPath).Bind(docs => LmData.Prepare(docs.ToList(), preset, L("seed"), units, vocab));
            if (prepared.IsLeft) return prepared.Map(_ => (ReevalMeasurement)null!).MapLeft(p => p with { What = $"{r.ModelPath}: {p.What}" });
            data = prepared.Match(d => d, _ => throw new InvalidOperationException());
            cache[cacheKey] = data;
        }
        var result = LmOrtEval.CrossEntropy(session, data.Val, seqLen, batch);
        return new ReevalMeasurement(metric.Val, metric.Of(result.Nats), result.Tokens, batch, result.BatchSeconds, dataPath, data.Fingerprint);
    }
}
