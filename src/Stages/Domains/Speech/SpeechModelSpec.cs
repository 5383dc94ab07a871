namespace Lab.Stages.Domains.Speech;

/// <summary>One point of the recogniser grid.</summary>
/// <param name="Arch">"ds2" (2-D convolutions + bidirectional GRU) or "conv" (1-D convolutions only).</param>
/// <param name="Width">GRU hidden units per direction (ds2) or convolution channels (conv).</param>
/// <param name="Depth">GRU layers (ds2) or hidden convolution blocks (conv).</param>
/// <param name="Channels">ds2: channels of its two 2-D convolutions.</param>
/// <param name="TimeStride">Frames per output step (3: 30 ms, about 33 outputs a second).</param>
public sealed record SpeechModelSpec(string Arch, int Width, int Depth, int Channels = 8, int TimeStride = 3) : Lab.Stages.Search.IModelSpec
{
    /// <summary>Canonical name, part of the trial id.</summary>
    public string Name => Arch == "ds2" ? $"ds2-w{Width}-l{Depth}-c{Channels}-s{TimeStride}" : $"conv-w{Width}-l{Depth}-s{TimeStride}";

    /// <summary>Kernel (time) of the striding first layer; padding is half of it.</summary>
    public const int Kernel = 5;

    /// <summary>Output steps of an utterance of the given frames (the first layer's convolution arithmetic).</summary>
    public int OutputLength(int frames) => (frames + 2 * (Kernel / 2) - Kernel) / TimeStride + 1;
}
