using Google.Protobuf;
using Lab.Stages.Evaluate;

namespace Lab.Stages.Domains.Speech;

/// <summary>`pipeline bench --domain speech`: log-mel feature extraction, then per default-preset model on 256 random
/// 2–3 s utterances, the bare training step, the pipeline's training loop and ONNX Runtime evaluation (frames/s; 6,000
/// frames are a minute of audio).</summary>
public static class SpeechBench
{
    /// <summary>The cases, one model at a time.</summary>
    public static IEnumerable<BenchCase> Cases(int threads)
    {
        var rng = new Random(1);
        var audio = Enumerable.Range(0, 16000 * 25).Select(_ => (float)(rng.NextDouble() - 0.5)).ToArray();
        yield return new BenchCase("log-mel", 0, [BenchMeasure.Rate("features", "frames/s", () => { LogMel.Compute(audio, out int frames); return frames; })]);
        var vocab = new CharVocab(" 'abcdefghijklmnopqrstuvwxyz");
        var set = new SpeechSet(Enumerable.Range(0, 256).Select(_ =>
        {
            int frames = 200 + rng.Next(100);
            var text = new string(Enumerable.Range(0, 30).Select(_ => vocab.Chars[rng.Next(vocab.Chars.Length)]).ToArray());
            return new Utterance(text, vocab.Encode(text), Enumerable.Range(0, frames * LogMel.Bins).Select(_ => (Half)(rng.NextDouble() * 2 - 1)).ToArray(), frames);
        }).ToArray());
        var data = new SpeechData(set, new SpeechSet(set.Items[..32]), new SpeechSet(set.Items[..8]), vocab, "bench");
        var batches = SpeechBatches.Bucketed(set, Enumerable.Range(0, set.Count).ToArray(), 32, new Random(2));
        foreach (var spec in SpeechPreset.Shipped.Default.Models)
        {
            manual_seed(1);
            using var net = SpeechTraining.Create(spec, vocab.Size);
            using var opt = new ExplicitAdam(net.parameters(), 1e-3);
            using var session = OrtSessions.Open(SpeechOnnx.Export(net, new Dictionary<string, string> { ["domain"] = "speech" }).ToByteArray(), threads);
            yield return new BenchCase(spec.Name, net.parameters().Sum(p => p.numel()),
            [
                BenchKit.TrainStep(net, opt, i =>
                {
                    var b = batches[i % batches.Count];
                    return (SpeechBatches.Make(set, b, CPU), b.Sum(j => (long)set.Items[j].Frames));
                }, t => nn.functional.ctc_loss(net.call(t[0], t[1]), t[2], net.OutputLengths(t[1]), t[3], CharVocab.Blank, zero_infinity: true), 6, "frames/s"),
                BenchKit.PipelineLoop("frames/s", () => Loop(data, spec)),
                BenchMeasure.Rate("eval_ort", "frames/s", () => SpeechOrtEval.Evaluate(session, set, vocab, 64).Frames)
            ]);
        }
    }

    static TrainOutcome Loop(SpeechData data, SpeechModelSpec spec)
    {
        var preset = SpeechPreset.Shipped.Default with { MinFramesPerEpoch = 0 };
        var (model, outcome) = SpeechTraining.Run(data, new Lab.Stages.Subset.Shard(0, data.Train.Count, data.Train.Items.Sum(u => (long)u.Frames), 0), spec, preset, BenchKit.OneEpoch, CPU);
        model.Dispose();
        return outcome;
    }
}
