using LanguageExt;
using Lab.Stages.Language;
using Lab.Stages.Search;
using static LanguageExt.Prelude;

namespace Lab.Stages.Domains.Lm;

/// <summary>The word-level language-modelling presets (smoke, default, full), each family's size ladder in it; the
/// default is sized for a 2-core CPU (see the README for its measured time). `--arch` picks the family (LSTM by default).</summary>
public static class LmPresets
{
    /// <summary>Seconds: three tiny shards, three widths of each family, two seeds.</summary>
    public static readonly LmPreset Smoke = new(
        Name: "smoke", VocabSize: 1000, SeqLen: 24, BatchSize: 16, EvalBatch: 64, MaxExampleTokens: 128, ValTokens: 4_000, TestTokens: 4_000,
        Shards: new ShardLadder(2_000, 8_000, 3),
        Models: LmPreset.Ladder("lstm", 1, 0.0, 8, 16, 32) + LmPreset.Ladder("rhn", 2, 0.0, 8, 16, 32),
        LearningRates: toSeq(new[] { 2.5e-3, 5e-3, 1e-2 }),
        MaxEpochs: 3, Patience: 2, MinTokensPerEpoch: 8_000, ClipNorm: 1.0,
        Search: new SearchSettings(Seeds: 2, MaxTrialsPerShard: 6));

    /// <summary>The default study: shards halving from 128k tokens (or the corpus) down to 4k, widths 16 to 256 of each
    /// family (LSTM; RHN of recurrence depth 2 with `--arch rhn|all`) (each about twice the parameters of the one before), five learning rates a factor 2 apart, three seeds. Cross-entropy
    /// sits on a high floor, so a relative margin of 1 % hides real gains: the margin is the measured seed noise, at least 0.25 %.</summary>
    public static readonly LmPreset Default = new(
        Name: "default", VocabSize: 5000, SeqLen: 32, BatchSize: 32, EvalBatch: 128, MaxExampleTokens: 128, ValTokens: 20_000, TestTokens: 20_000,
        Shards: new ShardLadder(4_000, 128_000, 5),
        Models: LmPreset.Ladder("lstm", 1, 0.1, 16, 32, 64, 128, 256) + LmPreset.Ladder("rhn", 2, 0.1, 16, 32, 64, 128, 256),
        LearningRates: toSeq(new[] { 1e-3, 2e-3, 4e-3, 8e-3, 1.6e-2 }),
        MaxEpochs: 20, Patience: 3, MinTokensPerEpoch: 32_000, ClipNorm: 1.0,
        Search: new SearchSettings(MarginFloor: 0.0025));

    /// <summary>Hours: shards to 4M tokens, 10k vocabulary, widths 32 to 1024 (RHN of depth 3).</summary>
    public static readonly LmPreset Full = new(
        Name: "full", VocabSize: 10000, SeqLen: 35, BatchSize: 32, EvalBatch: 128, MaxExampleTokens: 128, ValTokens: 50_000, TestTokens: 50_000,
        Shards: new ShardLadder(8_000, 4_000_000, 5),
        Models: Seq(new LmModelSpec(32, 32, 1, 0.1), new LmModelSpec(64, 64, 1, 0.1), new LmModelSpec(128, 128, 1, 0.2), new LmModelSpec(256, 256, 1, 0.2), new LmModelSpec(512, 512, 1, 0.3), new LmModelSpec(1024, 1024, 1, 0.3)) + LmPreset.Ladder("rhn", 3, 0.2, 32, 64, 128, 256, 512, 1024),
        LearningRates: toSeq(new[] { 5e-4, 1e-3, 2e-3, 4e-3, 8e-3 }),
        MaxEpochs: 30, Patience: 4, MinTokensPerEpoch: 128_000, ClipNorm: 1.0,
        Search: new SearchSettings(MarginFloor: 0.0025, MaxTrialsPerShard: 14));

    /// <summary>The preset of a name, if there is one.</summary>
    public static Option<LmPreset> Named(string name) => LmPreset.Find(name, Smoke, Default, Full);
}
