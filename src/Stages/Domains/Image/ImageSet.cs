namespace Lab.Stages.Domains.Image;

/// <summary>Images as bytes (N × channels × height × width, 0–255) with integer labels 0..K−1.</summary>
public sealed record ImageSet(byte[] Pixels, int[] Labels, int Channels, int Height, int Width, int Classes)
{
    /// <summary>Number of images.</summary>
    public int Count => Labels.Length;
    /// <summary>Bytes per image.</summary>
    public int ImageBytes => Channels * Height * Width;
    /// <summary>The images at the given indices, in that order.</summary>
    public ImageSet Take(IReadOnlyList<int> indices)
    {
        var px = new byte[indices.Count * ImageBytes];
        var lb = new int[indices.Count];
        for (int i = 0; i < indices.Count; i++)
        {
            Buffer.BlockCopy(Pixels, indices[i] * ImageBytes, px, i * ImageBytes, ImageBytes);
            lb[i] = Labels[indices[i]];
        }
        return this with { Pixels = px, Labels = lb };
    }
}
