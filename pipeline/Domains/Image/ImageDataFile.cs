using Lab.Stages.Domains.Image;

namespace Lab.Pipeline.Domains.Image;

/// <summary>Prepared image data (validation, test, training in shard order, normalisation) in the shared
/// <see cref="PreparedFile"/> format, written once by the plan.</summary>
public static class ImageDataFile
{
    const string Magic = "LABIMG-DATA-1";

    /// <summary>Writes atomically.</summary>
    public static void Write(string path, ImageData d) => PreparedFile.Write(path, Magic, d.Fingerprint, w =>
    {
        w.Write(d.Mean); w.Write(d.Std);
        foreach (var s in new[] { d.Val, d.Test, d.Train })
        {
            w.Write(s.Channels); w.Write(s.Height); w.Write(s.Width); w.Write(s.Classes); w.Write(s.Count);
            w.Write(s.Pixels); foreach (var l in s.Labels) w.Write(l);
        }
    });

    /// <summary>Reads, or a problem naming the file.</summary>
    public static Either<Problem, ImageData> Read(string path) => PreparedFile.Read(path, Magic, "image", (r, fingerprint) =>
    {
        var mean = r.ReadSingle(); var std = r.ReadSingle();
        ImageSet Set()
        {
            int c = r.ReadInt32(), h = r.ReadInt32(), w = r.ReadInt32(), k = r.ReadInt32(), n = r.ReadInt32();
            var px = r.ReadExactly((long)n * c * h * w);
            var lb = new int[n]; for (int i = 0; i < n; i++) lb[i] = r.ReadInt32();
            return new ImageSet(px, lb, c, h, w, k);
        }
        var val = Set(); var test = Set(); var train = Set();
        return new ImageData(val, test, train, mean, std, fingerprint);
    });
}
