using Lab.Stages.Domains.Image;
using SkiaSharp;

namespace Lab.Pipeline.Domains.Image;

/// <summary>
/// Loads image data: a folder of MNIST-style IDX files (train-images*, train-labels*, t10k-images* or test-images*,
/// t10k-labels* or test-labels*; gzipped or not), or an image-folder tree with train/ and test/ folders holding one
/// sub-folder per class of PNG/JPEG images (decoded with SkiaSharp; one size for all; grey when every image is grey).
/// </summary>
public static class ImageFiles
{
    /// <summary>(train, test), or a problem naming the file.</summary>
    public static Either<Problem, (ImageSet Train, ImageSet Test)> Load(string path)
    {
        if (!Directory.Exists(path)) return new Problem($"{path}: no such folder", "point --data at a folder of IDX files or a train/ + test/ image tree");
        if (Directory.Exists(Path.Combine(path, "train")) && Directory.Exists(Path.Combine(path, "test")))
        {
            var classes = Directory.GetDirectories(Path.Combine(path, "train")).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray();
            if (classes.Length < 2) return new Problem($"{Path.Combine(path, "train")}: needs one sub-folder per class (at least two)");
            return from train in Tree(Path.Combine(path, "train"), classes!)
                   from test in Tree(Path.Combine(path, "test"), classes!)
                   from same in train.Height == test.Height && train.Width == test.Width
                       ? LanguageExt.Prelude.Right<Problem, Unit>(LanguageExt.Prelude.unit)
                       : new Problem($"{path}: test images are {test.Height}×{test.Width}, training images {train.Height}×{train.Width}")
                   let channels = Math.Max(train.Channels, test.Channels)
                   select (ToChannels(train, channels), ToChannels(test, channels));
        }
        string? Find(params string[] prefixes) => Directory.GetFiles(path).Order(StringComparer.Ordinal)
            .FirstOrDefault(f => prefixes.Any(p => Path.GetFileName(f).StartsWith(p, StringComparison.OrdinalIgnoreCase)));
        var files = new[] { Find("train-images"), Find("train-labels"), Find("t10k-images", "test-images"), Find("t10k-labels", "test-labels") };
        if (files.Any(f => f is null))
            return new Problem($"{path}: expected train-images, train-labels, t10k-images and t10k-labels IDX files (or train/ and test/ image folders)");
        return from ti in Bytes(files[0]!) from tl in Bytes(files[1]!) from si in Bytes(files[2]!) from sl in Bytes(files[3]!)
               from train in Idx.Parse(files[0]!, ti, files[1]!, tl)
               from test in Idx.Parse(files[2]!, si, files[3]!, sl)
               select (train, test);
    }

    static Either<Problem, byte[]> Bytes(string file) => InputFile.ReadAllBytes(file);

    static Either<Problem, ImageSet> Tree(string dir, string[] classes)
    {
        var pixels = new List<byte[]>(); var labels = new List<int>();
        int h = -1, w = -1; bool colour = false;
        for (int c = 0; c < classes.Length; c++)
        {
            var folder = Path.Combine(dir, classes[c]);
            if (!Directory.Exists(folder)) return new Problem($"{folder}: missing (the class exists in train/)");
            foreach (var f in Directory.GetFiles(folder).Where(f => f.EndsWith(".png", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".jpg", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".jpeg", StringComparison.OrdinalIgnoreCase)).Order(StringComparer.Ordinal))
            {
                using var bmp = SKBitmap.Decode(f);
                if (bmp is null) return new Problem($"{f}: not a readable PNG or JPEG image");
                if (h < 0) { h = bmp.Height; w = bmp.Width; }
                if (bmp.Height != h || bmp.Width != w) return new Problem($"{f}: {bmp.Width}×{bmp.Height}, but the other images are {w}×{h}", "resize the images to one size");
                var rgb = new byte[3 * h * w];
                for (int y = 0; y < h; y++)
                    for (int x = 0; x < w; x++)
                    {
                        var px = bmp.GetPixel(x, y);
                        rgb[y * w + x] = px.Red; rgb[h * w + y * w + x] = px.Green; rgb[2 * h * w + y * w + x] = px.Blue;
                        colour |= px.Red != px.Green || px.Green != px.Blue;
                    }
                pixels.Add(rgb); labels.Add(c);
            }
        }
        if (labels.Count == 0) return new Problem($"{dir}: no PNG or JPEG images in its class folders");
        var all = pixels.SelectMany(p => p).ToArray();
        return ToChannels(new ImageSet(all, labels.ToArray(), 3, h, w, classes.Length), colour ? 3 : 1);
    }

    static ImageSet ToChannels(ImageSet s, int channels)
    {
        if (s.Channels == channels) return s;
        int hw = s.Height * s.Width;
        if (channels == 1)    // grey: keep the first plane (R = G = B)
            return s with { Pixels = Enumerable.Range(0, s.Count).SelectMany(i => s.Pixels.Skip(i * 3 * hw).Take(hw)).ToArray(), Channels = 1 };
        return s with { Pixels = Enumerable.Range(0, s.Count).SelectMany(i => Enumerable.Repeat(s.Pixels.Skip(i * hw).Take(hw), 3).SelectMany(p => p)).ToArray(), Channels = 3 };
    }
}
