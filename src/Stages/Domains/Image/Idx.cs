using LanguageExt;
using System.Buffers.Binary;

namespace Lab.Stages.Domains.Image;

/// <summary>
/// Parses MNIST-style IDX files (already decompressed): images with magic 0x00000803 (unsigned bytes, 3 dimensions:
/// count, rows, columns) and labels with magic 0x00000801. A wrong magic number, a truncated file or a count mismatch is a
/// problem naming the file.
/// </summary>
public static class Idx
{
    /// <summary>An image set from an images file and a labels file (names are for messages).</summary>
    public static Either<Problem, ImageSet> Parse(string imagesName, byte[] images, string labelsName, byte[] labels)
    {
        if (images.Length < 16 || BinaryPrimitives.ReadInt32BigEndian(images) != 0x803)
            return new Problem($"{imagesName}: not an IDX image file (magic {(images.Length >= 4 ? $"0x{BinaryPrimitives.ReadInt32BigEndian(images):x8}" : "missing")}, expected 0x00000803)");
        if (labels.Length < 8 || BinaryPrimitives.ReadInt32BigEndian(labels) != 0x801)
            return new Problem($"{labelsName}: not an IDX label file (magic {(labels.Length >= 4 ? $"0x{BinaryPrimitives.ReadInt32BigEndian(labels):x8}" : "missing")}, expected 0x00000801)");
        int n = BinaryPrimitives.ReadInt32BigEndian(images.AsSpan(4)), h = BinaryPrimitives.ReadInt32BigEndian(images.AsSpan(8)), w = BinaryPrimitives.ReadInt32BigEndian(images.AsSpan(12));
        int nl = BinaryPrimitives.ReadInt32BigEndian(labels.AsSpan(4));
        if (n <= 0 || h <= 0 || w <= 0 || images.Length < 16 + (long)n * h * w)
            return new Problem($"{imagesName}: header says {n} images of {h}×{w} but the file has {images.Length - 16} bytes of pixels");
        if (labels.Length < 8 + nl) return new Problem($"{labelsName}: header says {nl} labels but the file has {labels.Length - 8}");
        if (n != nl) return new Problem($"{imagesName} has {n} images but {labelsName} has {nl} labels", "give matching files");
        var lb = labels.AsSpan(8, n).ToArray().Select(b => (int)b).ToArray();
        return new ImageSet(images.AsSpan(16, n * h * w).ToArray(), lb, 1, h, w, lb.Max() + 1);
    }
}
