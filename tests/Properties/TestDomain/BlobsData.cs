using Lab.Pipeline.Study;
using Lab.Stages.Core;
using LanguageExt;

namespace Lab.Tests.TestDomain;

/// <summary>Labelled points from Gaussian blobs (one centre per class), generated from a seed: the recipe's data.</summary>
public sealed record BlobsData(float[] TrainX, int[] TrainY, float[] ValX, int[] ValY, int Dim, int Classes, string Fingerprint) : IFingerprinted
{
    const string Magic = "LABBLOBS-DATA-1";

    /// <summary>Generates the splits; the fingerprint hashes everything a trial reads.</summary>
    public static BlobsData Generate(int train, int val, int dim, int classes, long seed)
    {
        var rng = new Random(unchecked((int)seed));
        var centres = Enumerable.Range(0, classes * dim).Select(_ => (float)(rng.NextDouble() * 4 - 2)).ToArray();
        (float[] X, int[] Y) Split(int n)
        {
            var y = Enumerable.Range(0, n).Select(_ => rng.Next(classes)).ToArray();
            var x = new float[n * dim];
            for (int i = 0; i < n; i++)
                for (int d = 0; d < dim; d++)
                    x[i * dim + d] = centres[y[i] * dim + d] + (float)(2.5 * (rng.NextDouble() + rng.NextDouble() + rng.NextDouble() - 1.5));
            return (x, y);
        }
        var (tx, ty) = Split(train); var (vx, vy) = Split(val);
        var fingerprint = Hashing.Sha256(string.Join(',', tx.Concat(vx)) + "|" + string.Join(',', ty.Concat(vy)))[..16];
        return new BlobsData(tx, ty, vx, vy, dim, classes, fingerprint);
    }

    /// <summary>Writes the prepared file (the shared format).</summary>
    public void Write(string path) => PreparedFile.Write(path, Magic, Fingerprint, w =>
    {
        w.Write(Dim); w.Write(Classes);
        foreach (var (x, y) in new[] { (TrainX, TrainY), (ValX, ValY) })
        {
            w.WriteInts(y);
            foreach (var v in x) w.Write(v);
        }
    });

    /// <summary>Reads the prepared file, or a problem naming it.</summary>
    public static Either<Problem, BlobsData> Read(string path) => PreparedFile.Read(path, Magic, "blobs", (r, fingerprint) =>
    {
        int dim = r.ReadInt32(), classes = r.ReadInt32();
        (float[], int[]) Split()
        {
            var y = r.ReadInts();
            var x = new float[y.Length * dim];
            for (int i = 0; i < x.Length; i++) x[i] = r.ReadSingle();
            return (x, y);
        }
        var (tx, ty) = Split(); var (vx, vy) = Split();
        return new BlobsData(tx, ty, vx, vy, dim, classes, fingerprint);
    });
}
