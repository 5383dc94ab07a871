using LanguageExt;
namespace Lab.Stages.Domains.Image;

/// <summary>
/// An image study's data, split once for a seed: a class-balanced validation set held out from the training images
/// (never in a shard), the test set as given, and the rest of the training images in an order that interleaves the
/// classes (each class shuffled with the seed), so every prefix — every shard — is class-balanced and shards nest.
/// Mean and standard deviation of the training pixels (in [0, 1]) normalise inputs inside the model.
/// </summary>
public sealed record ImageData(ImageSet Val, ImageSet Test, ImageSet Train, float Mean, float Std, string Fingerprint) : IFingerprinted
{
    /// <summary>The preprocessing rules' version, recorded in every model.</summary>
    public const string Version = "pixels-div255-v1";

    /// <summary>Splits and orders the data; a problem when the classes are too small for the preset.</summary>
    public static Either<Problem, ImageData> Prepare(ImageSet train, ImageSet test, ImagePreset p, long seed)
    {
        if (test.Channels != train.Channels || test.Height != train.Height || test.Width != train.Width)
            return new Problem($"test images are {test.Channels}×{test.Height}×{test.Width}, training images {train.Channels}×{train.Height}×{train.Width}");
        int k = Math.Max(train.Classes, test.Classes);
        var byClass = Enumerable.Range(0, k).Select(c => new List<int>()).ToArray();
        for (int i = 0; i < train.Count; i++) byClass[train.Labels[i]].Add(i);
        long largest = p.Shards.MinimumData;
        long perClassNeeded = p.ValPerClass + (largest + k - 1) / k;
        var small = Enumerable.Range(0, k).Where(c => byClass[c].Count < perClassNeeded).ToList();
        if (small.Count > 0)
            return new Problem($"class {small[0]} has {byClass[small[0]].Count} training images but preset '{p.Name}' needs {perClassNeeded} per class " +
                               $"({p.ValPerClass} for validation + {largest:N0} / {k} for the {p.Shards.MinShards} halving shards from {p.Shards.Smallest:N0} a curve needs)", "give more images or choose a smaller preset");
        var shuffled = byClass.Select((list, c) =>
        {
            var perm = Shards.Permutation(list.Count, seed * 7919 + c);
            return perm.Select(j => list[j]).ToArray();
        }).ToArray();
        var val = shuffled.SelectMany(l => l.Take(p.ValPerClass)).ToArray();
        var rest = shuffled.Select(l => l.Skip(p.ValPerClass).ToArray()).ToArray();
        var order = new List<int>(train.Count);
        for (int r = 0; order.Count < train.Count - val.Length; r++)
            foreach (var l in rest) if (r < l.Length) order.Add(l[r]);
        var trainSet = train.Take(order);
        double sum = 0, sq = 0;
        foreach (var b in trainSet.Pixels) { double v = b / 255.0; sum += v; sq += v * v; }
        double mean = sum / trainSet.Pixels.Length, std = Math.Sqrt(Math.Max(1e-12, sq / trainSet.Pixels.Length - mean * mean));
        var valSet = train.Take(val);
        var fingerprint = Hashing.Sha256(string.Join("|", Version, Hashing.Sha256(valSet.Pixels), Hashing.Sha256(valSet.Labels),
            Hashing.Sha256(test.Pixels), Hashing.Sha256(test.Labels), Hashing.Sha256(trainSet.Pixels), Hashing.Sha256(trainSet.Labels), p.ValPerClass, seed))[..16];
        return new ImageData(valSet, test with { Classes = k }, trainSet with { Classes = k }, (float)mean, (float)std, fingerprint);
    }
}
