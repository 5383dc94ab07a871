using TorchSharp.Modules;
using static TorchSharp.torch.nn;

namespace Lab.Stages.Domains.Speech;

/// <summary>
/// A convolution-only recogniser in the manner of Wav2Letter (Collobert et al. 2016): a 1-D convolution over time
/// (kernel 5, the 80 mel bins as channels) striding by <see cref="SpeechModelSpec.TimeStride"/>, then Depth blocks of
/// kernel-7 convolutions, ReLU after each, and a kernel-1 convolution to the alphabet; log-softmax.
/// </summary>
public sealed class ConvCtc : CtcModel
{
    /// <inheritdoc />
    public override SpeechModelSpec Spec { get; }
    /// <inheritdoc />
    public override int Vocab { get; }
    internal readonly Conv1d first, last;
    internal readonly ModuleList<Conv1d> blocks;

    /// <summary>Kernel of the hidden blocks.</summary>
    public const int BlockKernel = 7;

    /// <summary>A freshly initialised model (seed torch first).</summary>
    public ConvCtc(SpeechModelSpec spec, int vocab) : base("ConvCtc")
    {
        Spec = spec; Vocab = vocab;
        int k = SpeechModelSpec.Kernel;
        first = Conv1d(LogMel.Bins, spec.Width, k, stride: spec.TimeStride, padding: k / 2);
        blocks = new ModuleList<Conv1d>(Enumerable.Range(0, spec.Depth).Select(_ => Conv1d(spec.Width, spec.Width, BlockKernel, padding: BlockKernel / 2)).ToArray());
        last = Conv1d(spec.Width, vocab, 1);
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor features, Tensor lengths)
    {
        using var scope = NewDisposeScope();
        var x = functional.relu(first.call(features.transpose(1, 2)));     // [B, W, T']
        var mask = TimeMask(OutputLengths(lengths), x.shape[2]);            // [B, 1, T']
        x = x * mask;
        foreach (var b in blocks) x = functional.relu(b.call(x)) * mask;
        return functional.log_softmax(last.call(x).permute(2, 0, 1), -1).MoveToOuterDisposeScope();
    }
}
