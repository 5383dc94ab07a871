using TorchSharp.Modules;
using static TorchSharp.torch.nn;

namespace Lab.Stages.Domains.Speech;

/// <summary>
/// A small Deep Speech 2 (Amodei et al. 2016): two 2-D convolutions over (time, frequency) with clipped ReLU
/// (min(max(x, 0), 20)), the first striding time by <see cref="SpeechModelSpec.TimeStride"/> and both halving
/// frequency; bidirectional GRU layers over the flattened channels × frequencies; a linear layer to the alphabet; log-softmax.
/// </summary>
public sealed class Ds2 : CtcModel
{
    /// <inheritdoc />
    public override SpeechModelSpec Spec { get; }
    /// <inheritdoc />
    public override int Vocab { get; }
    internal readonly Conv2d conv1, conv2;
    internal readonly GRU gru;
    internal readonly Linear head;

    /// <summary>Frequency bins after the convolutions.</summary>
    public const int Bins = LogMel.Bins / 4;

    /// <summary>A freshly initialised model (seed torch first).</summary>
    public Ds2(SpeechModelSpec spec, int vocab) : base("Ds2")
    {
        Spec = spec; Vocab = vocab;
        int k = SpeechModelSpec.Kernel;
        conv1 = Conv2d(1, spec.Channels, (k, 11), stride: (spec.TimeStride, 2), padding: (k / 2, 5));
        conv2 = Conv2d(spec.Channels, spec.Channels, (k, 11), stride: (1, 2), padding: (k / 2, 5));
        gru = GRU(spec.Channels * Bins, spec.Width, spec.Depth, bidirectional: true);
        head = Linear(2 * spec.Width, vocab);
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor features, Tensor lengths)
    {
        using var scope = NewDisposeScope();
        var outLengths = OutputLengths(lengths);
        var x = ScalarOps.Clamp(conv1.call(features.unsqueeze(1)), 0, 20);             // [B, C, T', 40]
        var mask = TimeMask(outLengths, x.shape[2]).unsqueeze(3);           // [B, 1, T', 1]
        x = (ScalarOps.Clamp(conv2.call(x * mask), 0, 20) * mask).permute(2, 0, 1, 3);  // [T', B, C, 20]
        x = x.reshape(x.shape[0], x.shape[1], -1);
        var packed = nn.utils.rnn.pack_padded_sequence(x, outLengths.cpu(), enforce_sorted: false);
        var (y, _) = gru.call(packed);
        var (padded, _) = nn.utils.rnn.pad_packed_sequence(y, total_length: x.shape[0]);
        return functional.log_softmax(head.call(padded), -1).MoveToOuterDisposeScope();
    }
}
