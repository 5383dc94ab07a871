using System.Diagnostics;
using Google.Protobuf;
using Lab.Stages.Core;
using Lab.Stages.Domains.Speech;
using Lab.Stages.Evaluate;
using LanguageExt;
using static TorchSharp.torch;

namespace Lab.Pipeline.Domains.Speech;

/// <summary>`pipeline bench --domain speech`: log-mel feature extraction, training and ONNX Runtime evaluation rates
/// (frames of 10 ms per second) of the default preset's models, on synthetic 2.5-second utterances.</summary>
public static class SpeechBench
{
    /// <summary>Runs the benchmark and prints its figures.</summary>
    public static Either<Problem, int> Run(RunOptions o, Reporter report)
    {
        int threads = Devices.SetThreads(o.Threads);
        var rng = new Random(1);
        var audio = Enumerable.Range(0, 16000 * 25).Select(_ => (float)(rng.NextDouble() - 0.5)).ToArray();
        var sw0 = Stopwatch.StartNew();
        LogMel.Compute(audio, out int melFrames);
        report.Line($"log-mel features: {melFrames / sw0.Elapsed.TotalSeconds:N0} frames/s on one thread");
        var vocab = new CharVocab(" 'abcdefghijklmnopqrstuvwxyz");
        var set = new SpeechSet(Enumerable.Range(0, 256).Select(_ =>
        {
            int frames = 200 + rng.Next(100);
            var text = new string(Enumerable.Range(0, 30).Select(_ => vocab.Chars[rng.Next(vocab.Chars.Length)]).ToArray());
            return new Utterance(text, vocab.Encode(text), Enumerable.Range(0, frames * LogMel.Bins).Select(_ => (Half)(rng.NextDouble() * 2 - 1)).ToArray(), frames);
        }).ToArray());
        var rows = new List<string[]>();
        foreach (var spec in SpeechPreset.Default.Models)
        {
            manual_seed(1);
            using var net = SpeechTraining.Create(spec, vocab.Size);
            using var opt = new Lab.Stages.Train.ExplicitAdam(net.parameters(), 1e-3);
            var batches = SpeechBatches.Bucketed(set, Enumerable.Range(0, set.Count).ToArray(), 32, new Random(2));
            Stopwatch? sw = null; long frames = 0; const int steps = 6;
            for (int i = 0; i < steps + 1; i++)
            {
                if (i == 1) sw = Stopwatch.StartNew();
                using var scope = NewDisposeScope();
                var b = batches[i % batches.Count];
                var t = SpeechBatches.Make(set, b, CPU);
                opt.ZeroGrad();
                var loss = nn.functional.ctc_loss(net.call(t[0], t[1]), t[2], net.OutputLengths(t[1]), t[3], CharVocab.Blank, zero_infinity: true);
                loss.backward(); opt.Step(); loss.item<float>();
                if (i >= 1) frames += b.Sum(j => (long)set.Items[j].Frames);
            }
            double train = frames / sw!.Elapsed.TotalSeconds;
            var bytes = SpeechOnnx.Export(net, new Dictionary<string, string> { ["domain"] = "speech" }).ToByteArray();
            using var session = OrtSessions.Open(bytes, threads);
            SpeechOrtEval.Evaluate(session, new SpeechSet(set.Items[..32]), vocab, 64);
            var ort = SpeechOrtEval.Evaluate(session, set, vocab, 64);
            long parameters = net.parameters().Sum(p => p.numel());
            rows.Add([spec.Name, parameters.ToString("N0"), $"{train:N0}", $"{train / 6000:F1}", $"{ort.FramesPerSecond:N0}"]);
            report.Line($"{spec.Name}: {parameters:N0} parameters, train {train:N0} frames/s ({train / 6000:F1} min of audio per s), ORT eval {ort.FramesPerSecond:N0} frames/s");
        }
        report.Table($"Speech benchmark (2–3 s utterances, batch 32 training, 64 evaluation, {threads} threads)",
            ["model", "parameters", "train frames/s", "train audio min/s", "ORT eval frames/s"], rows);
        return 0;
    }
}
