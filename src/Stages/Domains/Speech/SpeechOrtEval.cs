using System.Diagnostics;
using Microsoft.ML.OnnxRuntime;

namespace Lab.Stages.Domains.Speech;

/// <summary>The metrics that count, from the exported model run by ONNX Runtime: CTC loss per character (over the
/// utterances that have an alignment), and character and word error rates of greedy CTC decoding against the
/// normalised transcripts.</summary>
public static class SpeechOrtEval
{
    /// <summary>Metrics over a set and the time of each batch.</summary>
    public sealed record Result(double CtcPerChar, double Cer, double Wer, int Infeasible, long Frames, double Seconds, double[] BatchSeconds,
        IReadOnlyList<string> Hypotheses)
    {
        /// <summary>Audio frames per second of evaluation.</summary>
        public double FramesPerSecond => Seconds > 0 ? Frames / Seconds : 0;
    }

    /// <summary>Log-probabilities [steps, batch, classes] and output lengths of one batch.</summary>
    public static (float[] LogProbs, long[] OutLengths, int Steps, int Classes) Run(InferenceSession session, RunOptions run, float[] features, long[] lengths, int maxFrames)
    {
        using var x = OrtValue.CreateTensorValueFromMemory(features, [lengths.Length, maxFrames, LogMel.Bins]);
        using var l = OrtValue.CreateTensorValueFromMemory(lengths, [lengths.Length]);
        using var outputs = session.Run(run, ["features", "lengths"], [x, l], ["log_probs", "out_lengths"]);
        var shape = outputs[0].GetTensorTypeAndShape().Shape;
        return (outputs[0].GetTensorDataAsSpan<float>().ToArray(), outputs[1].GetTensorDataAsSpan<long>().ToArray(), (int)shape[0], (int)shape[2]);
    }

    /// <summary>Evaluates the whole set in length-sorted batches.</summary>
    public static Result Evaluate(InferenceSession session, SpeechSet set, CharVocab vocab, int batch)
    {
        var clock = Stopwatch.StartNew();
        var hyp = new string[set.Count];
        double loss = 0; long chars = 0; int infeasible = 0;
        var times = new List<double>();
        using var run = new RunOptions();
        foreach (var b in SpeechBatches.Sorted(set, batch))
        {
            var x = SpeechBatches.Features(set, b, out int t);
            var lengths = b.Select(i => (long)set.Items[i].Frames).ToArray();
            var t0 = clock.Elapsed.TotalSeconds;
            var (lp, outLen, steps, classes) = Run(session, run, x, lengths, t);
            times.Add(clock.Elapsed.TotalSeconds - t0);
            for (int j = 0; j < b.Length; j++)
            {
                var u = set.Items[b[j]];
                int n = (int)outLen[j];
                var rows = new float[n * classes];   // this utterance's [n, classes] slice of [steps, batch, classes]
                for (int s = 0; s < n; s++) Array.Copy(lp, (s * b.Length + j) * classes, rows, s * classes, classes);
                hyp[b[j]] = vocab.Decode(Ctc.Greedy(rows, n, classes));
                if (Ctc.Feasible(n, u.Labels)) { loss += Ctc.Loss(rows, n, classes, u.Labels); chars += u.Labels.Length; }
                else infeasible++;
            }
        }
        var refs = set.Items.Select(u => u.Text).ToArray();
        return new Result(chars > 0 ? loss / chars : double.NaN, EditDistance.Cer(hyp, refs), EditDistance.Wer(hyp, refs), infeasible,
            set.Frames, clock.Elapsed.TotalSeconds, times.ToArray(), hyp);
    }
}
