namespace Lab.Stages.Domains.Image;

/// <summary>Image batches as tensors: pixels / 255 as float [b, C, H, W], labels as int64.</summary>
public static class ImageBatches
{
    /// <summary>Pixels of the given images scaled to [0, 1], flattened in [b, C, H, W] order.</summary>
    public static float[] Pixels(ImageSet set, IReadOnlyList<int> indices)
    {
        int n = set.ImageBytes;
        var x = new float[indices.Count * n];
        for (int i = 0; i < indices.Count; i++)
        {
            int src = indices[i] * n, dst = i * n;
            for (int j = 0; j < n; j++) x[dst + j] = set.Pixels[src + j] / 255f;
        }
        return x;
    }

    /// <summary>Input tensor of the given images.</summary>
    public static Tensor Input(ImageSet set, IReadOnlyList<int> indices, Device device)
        => tensor(Pixels(set, indices), [indices.Count, set.Channels, set.Height, set.Width], device: device);

    /// <summary>Label tensor of the given images.</summary>
    public static Tensor Labels(ImageSet set, IReadOnlyList<int> indices, Device device)
        => tensor(indices.Select(i => (long)set.Labels[i]).ToArray(), device: device);
}
