namespace Lab.Stages.Domains.Image;

/// <summary>One point of an image model grid: architecture ("resnet" or "cnn"), base width (channels) and depth
/// (residual blocks, or convolution layers, per stage).</summary>
public sealed record ImageModelSpec(string Arch, int Width, int Depth) : Lab.Stages.Search.IModelSpec
{
    /// <summary>Canonical name, part of the trial id.</summary>
    public string Name => $"{Arch}-w{Width}-d{Depth}";
}
