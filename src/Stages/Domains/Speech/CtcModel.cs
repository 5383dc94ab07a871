namespace Lab.Stages.Domains.Speech;

/// <summary>A CTC recogniser: features [B, T, 80] and frame counts [B] (int64) → log-probabilities [T', B, V].
/// Positions past an utterance's length are zeroed after every layer that mixes time, so an utterance's output does
/// not depend on the padding of the batch it is in (the exported graph does the same).</summary>
public abstract class CtcModel(string name) : nn.Module<Tensor, Tensor, Tensor>(name)
{
    /// <summary>The spec.</summary>
    public abstract SpeechModelSpec Spec { get; }
    /// <summary>Output classes.</summary>
    public abstract int Vocab { get; }

    /// <summary>[B, 1, T] mask (as float) of the first <paramref name="lengths"/> positions of T.</summary>
    public static Tensor TimeMask(Tensor lengths, long t)
        => ScalarOps.Arange(t, lengths.device).unsqueeze(0).lt(lengths.unsqueeze(1)).unsqueeze(1).to(ScalarType.Float32);

    /// <summary>Output lengths of input frame counts, as the model computes them.</summary>
    public Tensor OutputLengths(Tensor frames)
        => ScalarOps.Add(ScalarOps.FloorDiv(ScalarOps.Add(frames, 2 * (SpeechModelSpec.Kernel / 2) - SpeechModelSpec.Kernel), Spec.TimeStride), 1);
}
