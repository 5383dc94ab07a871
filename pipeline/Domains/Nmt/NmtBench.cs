using System.Diagnostics;
using Google.Protobuf;
using Lab.Stages.Core;
using Lab.Stages.Domains.Nmt;
using Lab.Stages.Evaluate;
using LanguageExt;
using static TorchSharp.torch;

namespace Lab.Pipeline.Domains.Nmt;

/// <summary>`pipeline bench --domain nmt`: training target tokens/s, TorchSharp versus ONNX Runtime scoring tokens/s and
/// greedy-decoding sentences/s through ONNX Runtime, for the default preset's models on random pairs (vocabulary 4,000,
/// 20-piece sentences, batch 32).</summary>
public static class NmtBench
{
    /// <summary>Runs the benchmark and prints its figures.</summary>
    public static Either<Problem, int> Run(RunOptions o, Reporter report)
    {
        int threads = Devices.SetThreads(o.Threads);
        const int v = 4000, len = 20;
        var rng = new Random(1);
        NmtPair Pair() => new(Enumerable.Range(0, len).Select(_ => 4 + rng.Next(v - 4)).ToArray(), Enumerable.Range(0, len).Select(_ => 4 + rng.Next(v - 4)).ToArray());
        var train = Enumerable.Range(0, 32).Select(_ => Pair()).ToArray();
        var eval = Enumerable.Range(0, 256).Select(_ => Pair()).ToArray();
        var rows = new List<string[]>();
        foreach (var spec in NmtPreset.Default.Models)
        {
            manual_seed(1);
            using var model = NmtTraining.Create(spec, v, NmtPreset.Default.MaxLen);
            using var opt = new Lab.Stages.Train.ExplicitAdam(model.parameters(), 1e-3);
            Stopwatch? sw = null; const int steps = 10;
            for (int i = 0; i < steps + 2; i++)
            {
                if (i == 2) sw = Stopwatch.StartNew();
                using var scope = NewDisposeScope();
                var t = NmtBatches.Tensors(train, CPU);
                opt.ZeroGrad();
                var loss = NmtTraining.Loss(model.call(t[0], t[1]), t[2]);
                loss.backward(); opt.Step(); loss.item<float>();
            }
            double trainRate = steps * 32 * (len + 1) / sw!.Elapsed.TotalSeconds;
            var sw2 = Stopwatch.StartNew();
            NmtTraining.CrossEntropy(model, eval, 64, CPU);
            double torchRate = eval.Length * (len + 1) / sw2.Elapsed.TotalSeconds;
            model.eval();
            var meta = new Dictionary<string, string> { ["domain"] = "nmt" };
            var (scoring, encoder, step) = NmtExport.Graphs(model, meta);
            using var s1 = OrtSessions.Open(scoring, threads); using var s2 = OrtSessions.Open(encoder, threads); using var s3 = OrtSessions.Open(step, threads);
            NmtOrtEval.CrossEntropy(s1, eval[..8], 8);   // warm-up: the first run also optimises the graph
            var ort = NmtOrtEval.CrossEntropy(s1, eval, 64);
            var sw3 = Stopwatch.StartNew();
            var greedyPairs = eval[..64];
            if (spec.Arch == "transformer") NmtOrtEval.GreedyTransformer(s2, s3, greedyPairs, 64, len); else NmtOrtEval.Greedy(s2, s3, greedyPairs, 64, len);
            double sentences = greedyPairs.Length / sw3.Elapsed.TotalSeconds;
            long parameters = model.parameters().Sum(t => t.numel());
            rows.Add([spec.Name, parameters.ToString("N0"), $"{trainRate:N0}", $"{torchRate:N0}", $"{ort.Tokens / ort.Seconds:N0}", $"{sentences:N1}"]);
            report.Line($"{spec.Name}: train {trainRate:N0} tok/s, scoring torch {torchRate:N0} tok/s, ORT {ort.Tokens / ort.Seconds:N0} tok/s, greedy {sentences:N1} sentences/s");
        }
        report.Table($"Translation benchmark (vocabulary {v}, {len}-piece sentences, batch 32 training / 64 evaluation, {threads} threads)",
            ["model", "parameters", "train tok/s", "torch scoring tok/s", "ORT scoring tok/s", "ORT greedy sentences/s"], rows);
        return 0;
    }
}
